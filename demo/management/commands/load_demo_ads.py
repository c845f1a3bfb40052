"""Create the ad inventory of the demo site; running it again changes nothing.

Slots for every place the templates know, house ads that fill what is left,
and three invented advertisers: one targeted at a section, one at tags and one
running everywhere but in Politik, with a goal and a daily cap.
"""

from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from ads.delivery import forget_snapshot
from ads.models import (
    AdSlot,
    Advertiser,
    Campaign,
    CampaignStatus,
    CampaignTier,
    Creative,
    SlotFormat,
)
from articles.models import Section, Tag

SLOTS = [
    {
        "key": "header",
        "name": "Leaderboard oben",
        "width": 728,
        "height": 90,
        "mobile_width": 320,
        "mobile_height": 50,
        "is_below_fold": False,
    },
    {"key": "article-inline", "name": "Im Artikeltext", "width": 300, "height": 250},
    {
        "key": "article-end-1",
        "name": "Nach dem Artikel, erster Platz",
        "width": 300,
        "height": 250,
    },
    {
        "key": "article-end-2",
        "name": "Nach dem Artikel, zweiter Platz",
        "width": 300,
        "height": 250,
    },
    {
        "key": "sidebar",
        "name": "Seitenleiste",
        "width": 300,
        "height": 600,
        "mobile_width": 300,
        "mobile_height": 250,
        "is_below_fold": False,
    },
    {
        "key": "liveticker-1",
        "name": "Im Liveticker, erster Platz",
        "width": 300,
        "height": 250,
    },
    {
        "key": "liveticker-2",
        "name": "Im Liveticker, zweiter Platz",
        "width": 300,
        "height": 250,
    },
    {
        "key": "liveticker-3",
        "name": "Im Liveticker, dritter Platz",
        "width": 300,
        "height": 250,
    },
    {
        "key": "bilderstrecke",
        "name": "In der Bilderstrecke, nach jedem vierten Bild",
        "width": 300,
        "height": 250,
    },
    {
        "key": "related-sponsored",
        "name": "Gesponserter Beitrag bei den Leseempfehlungen",
        "format": SlotFormat.NATIVE,
        "ratio_width": 16,
        "ratio_height": 9,
    },
]

LEADERBOARD = ["header"]
RECTANGLE = [
    "article-inline",
    "article-end-1",
    "article-end-2",
    "liveticker-1",
    "liveticker-2",
    "liveticker-3",
    "bilderstrecke",
]
SKYSCRAPER = ["sidebar"]
NATIVE = ["related-sponsored"]

DISPLAY = [LEADERBOARD, RECTANGLE, SKYSCRAPER]

# A campaign shows once per page, and a Politik article has four display
# slots (header, in the text, two after it) that only house ads may fill,
# plus the sponsored card: five house campaigns fill them all.
HOUSE = {
    "advertiser": "Newsroom",
    "website": "https://example.org/newsroom",
    "palette": ((163, 25, 31), (245, 239, 226)),
    "campaigns": [
        (
            "Eigenwerbung: Digital-Abo",
            "Newsroom Digital",
            "Alle Artikel, jetzt testen",
            "",
            DISPLAY,
        ),
        (
            "Eigenwerbung: Newsletter",
            "Der Morgen-Newsletter",
            "Jeden Tag um sechs Uhr",
            "",
            DISPLAY,
        ),
        (
            "Eigenwerbung: Podcast",
            "Der Newsroom-Podcast",
            "Jeden Freitag neu",
            "",
            DISPLAY,
        ),
        (
            "Eigenwerbung: Archiv",
            "Das Newsroom-Archiv",
            "Jeder Artikel seit dem ersten Tag",
            "",
            DISPLAY,
        ),
        (
            "Eigenwerbung: Leserforum",
            "Newsroom Leserforum",
            "Ihre Fragen an die Redaktion",
            "Fragen Sie die Redaktion: jeden Monat beantworten wir Ihre Fragen",
            [NATIVE],
        ),
    ],
}

ADVERTISERS = [
    {
        "name": "Stadtwerke Auenbrück",
        "website": "https://example.org/stadtwerke-auenbrueck",
        "palette": ((20, 96, 70), (226, 244, 232)),
        "campaign": "Ökostrom für Auenbrück",
        "tier": CampaignTier.STANDARD,
        "sections": ["wissen/klima"],
        "headline": "Strom vom Stadtrand",
        "claim": "Sonne und Wind aus der Region",
        "creatives": [RECTANGLE],
    },
    # A campaign appears once per page, so the sponsored card is booked apart.
    {
        "name": "Stadtwerke Auenbrück",
        "website": "https://example.org/stadtwerke-auenbrueck",
        "palette": ((20, 96, 70), (226, 244, 232)),
        "campaign": "Sonnenstrom-Ratgeber",
        "tier": CampaignTier.STANDARD,
        "sections": ["wissen/klima"],
        "headline": "Sonnenstrom",
        "claim": "Vom eigenen Dach",
        "native": "Sonnenstrom vom eigenen Dach: so rechnet es sich",
        "creatives": [NATIVE],
    },
    {
        "name": "Reisebüro Nordlicht",
        "website": "https://example.org/reisebuero-nordlicht",
        "palette": ((22, 58, 110), (220, 232, 248)),
        "campaign": "Sommer im Nordatlantik",
        "tier": CampaignTier.SPONSORING,
        "tags": ["Island", "Norwegen"],
        "headline": "Nordlicht Reisen",
        "claim": "Island und Norwegen im Sommer",
        "creatives": [LEADERBOARD],
    },
    {
        "name": "Reisebüro Nordlicht",
        "website": "https://example.org/reisebuero-nordlicht",
        "palette": ((22, 58, 110), (220, 232, 248)),
        "campaign": "Reiseberichte aus dem Norden",
        "tier": CampaignTier.SPONSORING,
        "tags": ["Island", "Norwegen"],
        "headline": "Nordlicht Reisen",
        "claim": "Zwischen Gletschern und Fjorden",
        "native": "Zwölf Tage zwischen Gletschern und Fjorden",
        "creatives": [NATIVE],
    },
    {
        "name": "Buchhandlung Seitenwind",
        "website": "https://example.org/buchhandlung-seitenwind",
        "palette": ((110, 62, 18), (250, 238, 214)),
        "campaign": "Lesesommer",
        "tier": CampaignTier.STANDARD,
        "excluded_sections": ["news/politik"],
        "impression_goal": 200000,
        "daily_cap": 5000,
        "headline": "Buchhandlung Seitenwind",
        "claim": "Drei Romane, ein Preis",
        "creatives": [RECTANGLE, SKYSCRAPER],
    },
]

CREATIVE_NAMES = {
    tuple(LEADERBOARD): "Leaderboard",
    tuple(RECTANGLE): "Rectangle",
    tuple(SKYSCRAPER): "Skyscraper",
    tuple(NATIVE): "Native",
}


class Command(BaseCommand):
    help = "Legt Werbeplätze, Werbekunden, Kampagnen und Werbemittel für die Demo an."

    def handle(self, *args, **options):
        now = timezone.now()
        self.created = 0
        with transaction.atomic():
            slots = {}
            for entry in SLOTS:
                fields = dict(entry)
                slots[entry["key"]], _ = AdSlot.objects.get_or_create(
                    key=fields.pop("key"), defaults=fields
                )
            house = self.advertiser(HOUSE["advertiser"], HOUSE["website"])
            for name, headline, claim, native, creatives in HOUSE["campaigns"]:
                campaign = self.campaign(
                    house, name, now, tier=CampaignTier.HOUSE, weight=10
                )
                for keys in creatives:
                    self.creative(
                        campaign,
                        keys,
                        slots,
                        HOUSE["palette"],
                        headline,
                        claim,
                        native=native,
                    )
            for entry in ADVERTISERS:
                advertiser = self.advertiser(entry["name"], entry["website"])
                campaign = self.campaign(
                    advertiser,
                    entry["campaign"],
                    now,
                    tier=entry["tier"],
                    weight=10,
                    impression_goal=entry.get("impression_goal"),
                    daily_cap=entry.get("daily_cap"),
                    targeting=entry,
                )
                for keys in entry["creatives"]:
                    self.creative(
                        campaign,
                        keys,
                        slots,
                        entry["palette"],
                        entry["headline"],
                        entry["claim"],
                        native=entry.get("native", ""),
                    )
        forget_snapshot()
        self.stdout.write(
            f"Demo-Werbung: {len(slots)} Werbeplätze, "
            f"{Campaign.objects.count()} Kampagnen, {self.created} Werbemittel neu."
        )

    def advertiser(self, name, website):
        return Advertiser.objects.get_or_create(
            name=name, defaults={"website": website}
        )[0]

    def campaign(self, advertiser, name, now, targeting=None, **fields):
        campaign, created = Campaign.objects.get_or_create(
            advertiser=advertiser,
            name=name,
            defaults={
                "status": CampaignStatus.ACTIVE,
                "starts_at": now - timedelta(days=1),
                "ends_at": now + timedelta(days=365),
                **fields,
            },
        )
        if created and targeting:
            campaign.sections.set(
                Section.objects.filter(path__in=targeting.get("sections", []))
            )
            campaign.excluded_sections.set(
                Section.objects.filter(path__in=targeting.get("excluded_sections", []))
            )
            campaign.tags.set(Tag.objects.filter(name__in=targeting.get("tags", [])))
        return campaign

    def creative(self, campaign, keys, slots, palette, headline, claim, native=""):
        name = f"{campaign.name}: {CREATIVE_NAMES[tuple(keys)]}"
        if Creative.objects.filter(campaign=campaign, name=name).exists():
            return
        slot = slots[keys[0]]
        width, height = slot.box()
        creative = Creative(
            campaign=campaign,
            name=name,
            alt_text=f"{headline}: {claim}",
            headline=native,
            target_url=campaign.advertiser.website,
        )
        stem = f"{campaign.pk}-{CREATIVE_NAMES[tuple(keys)].lower()}"
        # Drawn at twice the size, for sharp high-density screens.
        creative.image.save(
            f"{stem}.png",
            draw_ad(width * 2, height * 2, palette, headline, claim),
            save=False,
        )
        if slot.has_mobile_size:
            creative.mobile_image.save(
                f"{stem}-telefon.png",
                draw_ad(
                    slot.mobile_width * 2,
                    slot.mobile_height * 2,
                    palette,
                    headline,
                    claim,
                ),
                save=False,
            )
        creative.full_clean()
        if errors := creative.fit_errors([slots[key] for key in keys]):
            raise CommandError(f"{name}: {errors}")
        creative.save()
        creative.slots.set([slots[key] for key in keys])
        self.created += 1


def draw_ad(width, height, palette, headline, claim):
    """A plain ad: a coloured bar, the headline and the claim, fitted to size.

    Pillow's built-in font has no umlauts, so the drawn texts avoid them.
    """
    accent, background = palette
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    bar = max(6, min(width, height) // 12)
    draw.rectangle([(0, 0), (bar, height)], fill=accent)
    x = bar * 2
    room = width - x - bar
    wide = width > height * 2
    size = min(height // 3 if wide else height // 8, width // 10)
    while size > 8:
        headline_font = ImageFont.load_default(size=size)
        claim_font = ImageFont.load_default(size=size * 2 // 3)
        if (
            max(
                draw.textlength(headline, font=headline_font),
                draw.textlength(claim, font=claim_font),
            )
            <= room
        ):
            break
        size -= 2
    if wide:
        draw.text((x, height // 8), headline, font=headline_font, fill=(26, 26, 26))
        draw.text((x, height // 2), claim, font=claim_font, fill=accent)
    else:
        draw.text((x, height // 3), headline, font=headline_font, fill=(26, 26, 26))
        draw.text((x, height // 3 + size * 2), claim, font=claim_font, fill=accent)
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue())
