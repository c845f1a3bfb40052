"""An article with an embed of every provider, for the demo.

The titles are invented and the previews drawn here with Pillow; nothing
is asked of any provider. The embeds are stored before the article, so
its save finds them and fetches nothing. Running it again changes nothing.
"""

from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from articles.models import Article, ArticleStatus, Author, Section
from articles.text import german_slugify
from embeds.models import Embed, PreviewState
from embeds.providers import recognise

SECTION = "news"
HEADLINE = "Neun Blicke auf den Hafen: Was das Netz zum Hafenfest teilt"
# (link, title, by, colour of the drawn preview)
EMBEDS = [
    (
        "https://www.youtube.com/watch?v=HafenFest01",
        "Hafenfest im Zeitraffer: Ein Tag in drei Minuten",
        "Hafenkanal Nord",
        (164, 28, 28),
    ),
    (
        "https://vimeo.com/900000001",
        "Die letzte Fähre nach Süderoog",
        "Kurzfilmwerkstatt Husum",
        (26, 95, 140),
    ),
    (
        "https://x.com/hafenamt_demo/status/1800000000000000001",
        "",
        "Hafenamt (Demo)",
        (40, 40, 40),
    ),
    (
        "https://www.instagram.com/p/HafenDemo1/",
        "Lichterschiffe auf der Förde",
        "Fotogruppe Hafenlicht",
        (150, 60, 130),
    ),
    (
        "https://mastodon.example/@wetterwarte/112200000000000001",
        "Sturmwarnung für den Abend aufgehoben",
        "Wetterwarte Nord",
        (80, 70, 160),
    ),
    (
        "https://bsky.app/profile/did:plc:demohafenfest/post/3kdemo0001",
        "Neue Radspur zum Festgelände eröffnet",
        "Radverkehr Nord",
        (20, 120, 200),
    ),
    (
        "https://www.tiktok.com/@kuestenkueche/video/7300000000000000009",
        "So entsteht ein Krabbenbrötchen",
        "Küstenküche",
        (20, 20, 20),
    ),
    (
        "https://open.spotify.com/episode/HafenfunkFolge12",
        "Hafenfunk – Folge 12: Wer baut die neue Brücke?",
        "Hafenfunk",
        (30, 140, 80),
    ),
    (
        "https://datawrapper.dwcdn.net/HaF3n/1/",
        "Besucher beim Hafenfest seit 2015",
        "Newsroom-Datenteam",
        (200, 140, 30),
    ),
]


def drawn_preview(provider_name, title, colour):
    """A 16:9 picture: the provider's name on a coloured field, and waves."""
    image = Image.new("RGB", (960, 540), colour)
    draw = ImageDraw.Draw(image)
    for row in range(6):
        top = 320 + row * 34
        for left in range(0, 960, 120):
            draw.arc((left, top, left + 120, top + 60), 200, 340, "white", 4)
    try:
        big = ImageFont.truetype("DejaVuSans-Bold.ttf", 64)
        small = ImageFont.truetype("DejaVuSans.ttf", 30)
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((48, 48), provider_name, fill="white", font=big)
    draw.text((48, 140), title[:48], fill="white", font=small)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="vorschau.jpg")


class Command(BaseCommand):
    help = "Lädt einen Demo-Artikel mit je einer Einbettung jedes Anbieters."

    def handle(self, *args, **options):
        section = Section.objects.filter(path=SECTION).first()
        if section is None:
            self.stderr.write("Erst die Demo-Inhalte laden (load_demo_content).")
            return
        slug = german_slugify(HEADLINE)
        if Article.objects.filter(slug=slug).exists():
            self.stdout.write("Demo-Einbettungen: bestehen schon.")
            return
        paragraphs = []
        with transaction.atomic():
            for url, title, author_name, colour in EMBEDS:
                link = recognise(url)
                embed, created = Embed.for_link(link)
                if created:
                    embed.preview.save(
                        "vorschau.jpg",
                        drawn_preview(
                            embed.provider_name, title or author_name, colour
                        ),
                        save=False,
                    )
                    # What the provider's answer would have confirmed.
                    embed.frame_url = link.confirmed_frame_url
                    embed.title = title
                    embed.author_name = author_name
                    embed.state = PreviewState.READY
                    embed.fetched_at = timezone.now()
                    embed.save()
                paragraphs.append(
                    f"<p>Bei {embed.provider_name}:</p>"
                    f'<p><a href="{link.url}">{link.url}</a></p>'
                )
            article = Article.objects.create(
                section=section,
                slug=slug,
                kicker="Hafenfest",
                headline=HEADLINE,
                lead="Videos, Posts, ein Podcast und eine Grafik: Was Menschen "
                "vom Hafenfest teilen. Geladen wird erst, wenn Sie klicken.",
                body="<p>Das Hafenfest ist vorbei, im Netz geht es weiter. Wir "
                "zeigen eine Auswahl. Die Inhalte liegen bei den Anbietern; "
                "bevor Sie klicken, lädt Ihr Browser nichts von dort.</p>"
                + "".join(paragraphs),
                status=ArticleStatus.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=2),
            )
            article.authors.set(Author.objects.order_by("pk")[:1])
        self.stdout.write(f"Demo-Einbettungen: {article.get_absolute_url()}")
