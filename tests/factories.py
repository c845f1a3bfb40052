"""Plain builders for test data: valid by default, overridable by keyword."""

from datetime import timedelta
from io import BytesIO
from itertools import count

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ads.models import AdSlot, Creative
from articles.models import Article, ArticleStatus, Author, Section, TopicBox

_numbers = count(1)


def image_file(
    name="bild.jpg", size=(1600, 900), color=(40, 80, 120), fmt="JPEG", exif_gps=False
):
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if exif_gps:
        # A photographer's position, as cameras write it into the GPS IFD.
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    buffer = BytesIO()
    image.save(buffer, fmt, exif=exif)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )


def make_section(**overrides):
    number = next(_numbers)
    fields = {"name": f"Ressort {number}", "slug": f"ressort-{number}"}
    fields.update(overrides)
    return Section.objects.create(**fields)


def make_author(**overrides):
    number = next(_numbers)
    fields = {"name": f"Autorin Nummer {number}", "bio": "Schreibt über alles."}
    fields.update(overrides)
    return Author.objects.create(**fields)


def make_article(tags=(), authors=(), **overrides):
    """A published article (published an hour ago) unless told otherwise."""
    number = next(_numbers)
    fields = {
        "kicker": "Dachzeile",
        "headline": f"Überschrift Nummer {number}",
        "lead": "Ein Vorspann, der neugierig macht.",
        "body": "<p>Erster Absatz.</p><h2>Zwischentitel</h2><p>Zweiter Absatz.</p>",
        "status": ArticleStatus.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    if "section" not in fields:
        fields["section"] = make_section()
    article = Article.objects.create(**fields)
    if tags:
        article.tags.set(list(tags))
    if authors:
        article.authors.set(authors)
    return article


def make_draft(**overrides):
    return make_article(status=ArticleStatus.DRAFT, published_at=None, **overrides)


def make_scheduled(**overrides):
    return make_article(published_at=timezone.now() + timedelta(days=1), **overrides)


def make_topic_box(article, target, after_paragraph=1):
    return TopicBox.objects.create(
        article=article, target=target, after_paragraph=after_paragraph
    )


def make_slot(**overrides):
    number = next(_numbers)
    fields = {
        "key": f"slot-{number}",
        "name": f"Platz {number}",
        "width": 300,
        "height": 250,
    }
    fields.update(overrides)
    return AdSlot.objects.get_or_create(key=fields.pop("key"), defaults=fields)[0]


def make_creative(slot=None, **overrides):
    fields = {
        "name": "Testmotiv",
        "alt_text": "Ein Testmotiv",
        "target_url": "https://example.org/ziel",
        "image": image_file("motiv.png", size=(300, 250), fmt="PNG"),
    }
    fields.update(overrides)
    return Creative.objects.create(slot=slot or make_slot(), **fields)


def make_editor(**overrides):
    number = next(_numbers)
    fields = {"username": f"redakteur{number}", "is_staff": True, "is_superuser": True}
    fields.update(overrides)
    return get_user_model().objects.create(**fields)
