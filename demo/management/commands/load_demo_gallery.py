"""A published Bilderstrecke for the demo: nine pictures drawn here, each
with caption, alt text and credit, and the gallery's own lead image.

Running it again changes nothing: the gallery is matched by its address.
"""

import math
import random
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from articles.models import Article, ArticleKind, Section, TopicBox
from articles.text import german_slugify
from galleries.models import GalleryPicture

SECTION = "kultur"
HEADLINE = "Lichterfest in Auenbrück: Die schönsten Bilder der Nacht"
SIZE = (1600, 1000)
CREDIT = "Newsroom/Demo"
# (caption, alt text, sky colour, light colour)
PICTURES = [
    (
        "Kurz nach Sonnenuntergang: Die ersten Laternen leuchten am Mühlenweg.",
        "Eine Reihe gelber Laternen vor einem tiefblauen Abendhimmel.",
        (18, 32, 74),
        (255, 196, 70),
    ),
    (
        "Auf dem Marktplatz drängen sich Hunderte Besucherinnen und Besucher.",
        "Viele kleine Lichtpunkte auf einem dunklen Platz, darüber ein Bogen.",
        (26, 22, 60),
        (255, 150, 90),
    ),
    (
        "Die Kinder der Grundschule Lindenplatz haben ihre Laternen selbst gebaut.",
        "Bunte runde Laternen in Rot, Grün und Gelb, nah beieinander.",
        (40, 20, 55),
        (120, 230, 140),
    ),
    (
        "Über der Aue spiegeln sich die Lichter der Brücke.",
        "Ein Lichterband über dunklem Wasser, darunter sein Spiegelbild.",
        (10, 30, 50),
        (160, 210, 255),
    ),
    (
        "Um 21 Uhr beginnt das Feuerwerk über dem Schlossberg.",
        "Große farbige Kreise aus Funken vor einem schwarzen Himmel.",
        (6, 8, 24),
        (255, 90, 160),
    ),
    (
        "Die Blaskapelle Auenbrück spielt auf der Bühne am Rathaus.",
        "Eine hell erleuchtete Bühne mit warmen Scheinwerferkegeln.",
        (35, 18, 30),
        (255, 220, 150),
    ),
    (
        "Lichtkünstlerin Mara Feld hat die Stadtmauer in Farbe getaucht.",
        "Eine Mauer in violettem und türkisem Licht, in breiten Streifen.",
        (20, 12, 40),
        (170, 120, 255),
    ),
    (
        "Spätabends wird es ruhig: Ein Paar schaut vom Steg auf die Aue.",
        "Zwei kleine dunkle Umrisse auf einem Steg vor einem hellen Wasserband.",
        (12, 24, 44),
        (240, 200, 120),
    ),
    (
        "Gegen Mitternacht löschen die Helfer die letzten Laternen.",
        "Wenige verbliebene Lichter in einer fast dunklen Gasse.",
        (8, 10, 20),
        (200, 160, 90),
    ),
]


def draw_picture(seed, sky, light, name):
    """A night scene of glowing lights, the same for each seed."""
    rng = random.Random(seed)
    width, height = SIZE
    image = Image.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(c * (1 - 0.5 * share)) for c in sky),
        )
    horizon = rng.randint(int(height * 0.6), int(height * 0.8))
    draw.rectangle([(0, horizon), (width, height)], fill=tuple(c // 3 for c in sky))
    for _ in range(rng.randint(25, 45)):
        x = rng.randint(0, width)
        y = rng.randint(int(height * 0.15), horizon)
        radius = rng.randint(8, 60)
        tint = tuple(min(255, max(0, c + rng.randint(-50, 50))) for c in light)
        draw.ellipse([(x - radius, y - radius), (x + radius, y + radius)], fill=tint)
        # The light's reflection below the horizon.
        mirrored = horizon + (horizon - y) // 3
        if mirrored < height:
            draw.ellipse(
                [
                    (x - radius, mirrored - radius // 3),
                    (x + radius, mirrored + radius // 3),
                ],
                fill=tuple(c // 2 for c in tint),
            )
    for step in range(0, 360, 30):
        angle = math.radians(step + seed * 7)
        x = width * 0.7 + math.cos(angle) * 180
        y = height * 0.3 + math.sin(angle) * 180
        draw.line([(width * 0.7, height * 0.3), (x, y)], fill=light, width=3)
    image = image.filter(ImageFilter.GaussianBlur(2.5))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=name)


class Command(BaseCommand):
    help = "Legt eine veröffentlichte Bilderstrecke mit selbst gezeichneten Bildern an."

    def handle(self, *args, **options):
        section = Section.objects.filter(path=SECTION).first()
        if section is None:
            self.stderr.write("Erst die Demo-Inhalte laden (load_demo_content).")
            return
        slug = german_slugify(HEADLINE)
        if Article.objects.filter(section=section, slug=slug).exists():
            self.stdout.write("Demo-Bilderstrecke: besteht schon.")
            return
        with transaction.atomic():
            article = Article.objects.create(
                section=section,
                slug=slug,
                kind=ArticleKind.GALLERY,
                kicker="Bilderstrecke",
                headline=HEADLINE,
                lead="Zehntausend Laternen, ein Feuerwerk und viel Musik: So hat "
                "Auenbrück sein Lichterfest gefeiert.",
                body="<p>Zum zwölften Mal hat die Stadt ihr Lichterfest gefeiert. "
                "Blättern Sie mit den Pfeiltasten, durch Wischen oder mit den "
                "Knöpfen durch die Bilder.</p>",
                image=draw_picture(0, *PICTURES[0][2:], "lichterfest-aufmacher.jpg"),
                image_alt=PICTURES[0][1],
                image_caption=PICTURES[0][0],
                image_credit=CREDIT,
            )
            for number, (caption, alt, sky, light) in enumerate(PICTURES, start=1):
                GalleryPicture(
                    article=article,
                    position=number,
                    image=draw_picture(number, sky, light, f"lichterfest-{number}.jpg"),
                    image_caption=caption,
                    image_alt=alt,
                    image_credit=CREDIT,
                ).save()
            article.publish(at=timezone.now())
            # The gallery as a block in the body of another Kultur story.
            neighbour = (
                Article.objects.published()
                .in_section(section)
                .exclude(pk=article.pk)
                .first()
            )
            if neighbour is not None:
                TopicBox.objects.create(
                    article=neighbour, target=article, after_paragraph=2
                )
        self.stdout.write(
            f"Demo-Bilderstrecke: {len(PICTURES)} Bilder, {article.get_absolute_url()}"
        )
