"""Create the ad slots and one house ad for each; running it again changes nothing."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from ads.models import AdSlot, Creative

SLOTS = [
    ("header", "Leaderboard oben", 728, 90),
    ("article-end-1", "Nach dem Artikel, links", 300, 250),
    ("article-end-2", "Nach dem Artikel, rechts", 300, 250),
]
HOUSE_AD = {
    "headline": "Newsroom Digital",
    "claim": "Alle Artikel, ohne Umwege: jetzt testen",
    "alt_text": "Eigenwerbung: Newsroom Digital – alle Artikel, jetzt testen",
    "target_url": "https://example.org/newsroom-digital",
}


class Command(BaseCommand):
    help = "Legt die Werbeplätze und je ein Eigenwerbungs-Motiv an."

    def handle(self, *args, **options):
        created = 0
        with transaction.atomic():
            for key, name, width, height in SLOTS:
                slot, _ = AdSlot.objects.get_or_create(
                    key=key, defaults={"name": name, "width": width, "height": height}
                )
                if slot.creatives.exists():
                    continue
                creative = Creative(
                    slot=slot,
                    name=f"Eigenwerbung {slot.name}",
                    alt_text=HOUSE_AD["alt_text"],
                    target_url=HOUSE_AD["target_url"],
                )
                creative.image.save(
                    f"eigenwerbung-{key}.png", draw_house_ad(width, height), save=False
                )
                creative.save()
                created += 1
        self.stdout.write(
            f"Demo-Werbung: {len(SLOTS)} Werbeplätze, {created} Motive neu."
        )


def draw_house_ad(width, height):
    """A plain house ad with the claim, drawn at twice the size for sharp screens."""
    scale = 2
    image = Image.new("RGB", (width * scale, height * scale), (245, 239, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, 0), (14 * scale, height * scale)], fill=(163, 25, 31))
    headline_size = min(height * scale // 3, 28 * scale)
    headline_font = ImageFont.load_default(size=headline_size)
    claim_font = ImageFont.load_default(size=headline_size * 2 // 3)
    x = 30 * scale
    if height > width / 2:
        draw.text(
            (x, height * scale // 3),
            HOUSE_AD["headline"],
            font=headline_font,
            fill=(26, 26, 26),
        )
        draw.multiline_text(
            (x, height * scale // 2),
            HOUSE_AD["claim"].replace(", ", ",\n").replace(": ", ":\n"),
            font=claim_font,
            fill=(60, 60, 60),
            spacing=8,
        )
    else:
        draw.text(
            (x, height * scale // 8),
            HOUSE_AD["headline"],
            font=headline_font,
            fill=(26, 26, 26),
        )
        draw.text(
            (x, height * scale // 2),
            HOUSE_AD["claim"],
            font=claim_font,
            fill=(60, 60, 60),
        )
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue())
