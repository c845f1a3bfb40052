"""Plain builders for test data: valid by default, overridable by keyword."""

from datetime import timedelta
from io import BytesIO
from itertools import count
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import get_date_max
from PIL import Image

from ads.models import (
    AdSlot,
    Advertiser,
    Campaign,
    CampaignStatus,
    CampaignTier,
    Creative,
    SlotFormat,
)
from articles.jobs import refresh_search_vectors
from articles.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Author,
    Section,
    TopicBox,
)
from embeds.models import Embed, PreviewState
from embeds.providers import recognise
from galleries.models import GalleryPicture
from jobs.models import Job
from live.models import Eilmeldung, Entry, Ticker
from pages.models import Page

_numbers = count(1)

JOURNALIST = "Redakteur/in"
DESK_EDITOR = "Chef/in vom Dienst"


def image_file(
    name="bild.jpg",
    size=(1600, 900),
    color=(40, 80, 120),
    fmt="JPEG",
    exif_gps=False,
    orientation=None,
):
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
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
    fields = {"status": ArticleStatus.DRAFT, "published_at": None}
    fields.update(overrides)
    return make_article(**fields)


def make_scheduled(**overrides):
    return make_article(published_at=timezone.now() + timedelta(days=1), **overrides)


def make_topic_box(article, target, after_paragraph=1):
    return TopicBox.objects.create(
        article=article, target=target, after_paragraph=after_paragraph
    )


def make_page(**overrides):
    number = next(_numbers)
    fields = {
        "title": f"Seite {number}",
        "slug": f"seite-{number}",
        "body": "<p>Angaben gemäß § 18 MStV.</p>",
    }
    fields.update(overrides)
    return Page.objects.create(**fields)


def make_slot(**overrides):
    """A 300×250 image slot; an existing slot with the same key is reused."""
    number = next(_numbers)
    fields = {
        "key": f"slot-{number}",
        "name": f"Platz {number}",
        "width": 300,
        "height": 250,
    }
    fields.update(overrides)
    return AdSlot.objects.get_or_create(key=fields.pop("key"), defaults=fields)[0]


def make_native_slot(**overrides):
    fields = {
        "key": "related-sponsored",
        "name": "Gesponserter Beitrag",
        "format": SlotFormat.NATIVE,
        "width": None,
        "height": None,
        "ratio_width": 16,
        "ratio_height": 9,
    }
    fields.update(overrides)
    return make_slot(**fields)


def make_advertiser(**overrides):
    number = next(_numbers)
    fields = {"name": f"Werbekunde {number}", "website": "https://example.org/"}
    fields.update(overrides)
    return Advertiser.objects.create(**fields)


def make_campaign(
    sections=(), tags=(), excluded_sections=(), excluded_tags=(), **overrides
):
    """A running Standard campaign of its own advertiser, on every page."""
    number = next(_numbers)
    fields = {
        "name": f"Kampagne {number}",
        "tier": CampaignTier.STANDARD,
        "weight": 10,
        "status": CampaignStatus.ACTIVE,
        "starts_at": timezone.now() - timedelta(days=1),
        "ends_at": timezone.now() + timedelta(days=30),
    }
    fields.update(overrides)
    if "advertiser" not in fields:
        fields["advertiser"] = make_advertiser()
    campaign = Campaign.objects.create(**fields)
    campaign.sections.set(sections)
    campaign.tags.set(tags)
    campaign.excluded_sections.set(excluded_sections)
    campaign.excluded_tags.set(excluded_tags)
    return campaign


def make_creative(slot=None, slots=None, campaign=None, **overrides):
    """A creative fitting `slot` (or `slots`), in a campaign of its own."""
    slots = list(slots or [slot or make_slot()])
    width, height = slots[0].box()
    fields = {
        "name": "Testmotiv",
        "alt_text": "Ein Testmotiv",
        "target_url": "https://example.org/ziel",
        "image": image_file("motiv.png", size=(width, height), fmt="PNG"),
    }
    if slots[0].format == SlotFormat.NATIVE:
        fields["headline"] = "Ein gesponserter Beitrag"
    fields.update(overrides)
    creative = Creative.objects.create(campaign=campaign or make_campaign(), **fields)
    creative.slots.set(slots)
    return creative


def make_editor(**overrides):
    """A superuser: may do everything in the admin."""
    number = next(_numbers)
    fields = {"username": f"admin{number}", "is_staff": True, "is_superuser": True}
    fields.update(overrides)
    return get_user_model().objects.create(**fields)


def make_staff(role, password=None, **overrides):
    """A staff member in one of the newsroom's roles (groups), e.g. "Redakteur/in"."""
    number = next(_numbers)
    fields = {"username": f"person{number}", "is_staff": True}
    fields.update(overrides)
    user = get_user_model().objects.create(**fields)
    if password:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def make_journalist(**overrides):
    return make_staff(JOURNALIST, **overrides)


def make_desk_editor(**overrides):
    return make_staff(DESK_EDITOR, **overrides)


def later(**delta):
    """Pretend the clock has moved on by `delta` (timedelta's arguments)."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(**delta)
    )


def change_url(article):
    """The address of `article`'s admin form."""
    return reverse("admin:articles_article_change", args=[article.pk])


def article_form_data(article=None, **overrides):
    """POST data for the article admin form, from an article or from scratch."""
    data = {
        "kicker": "",
        "headline": "Länder streiten über Zuschüsse",
        "slug": "",
        "lead": "Ein Vorspann.",
        "body": "<p>Text</p>",
        "section": "",
        "tags": "",
        "image_focal_x": "0.5",
        "image_focal_y": "0.5",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
    }
    if article is not None:
        data.update(
            {
                field: getattr(article, field)
                for field in ("kicker", "headline", "slug", "lead", "body", "status")
            }
        )
        data.update(
            {
                "section": article.section_id,
                "tags": ", ".join(article.tags.names()),
                "image_alt": article.image_alt,
                "image_credit": article.image_credit,
                "loaded_edit_token": str(article.edit_token),
            }
        )
        if article.published_at:
            local = timezone.localtime(article.published_at)
            data["published_at_0"] = local.strftime("%d.%m.%Y")
            data["published_at_1"] = local.strftime("%H:%M:%S")
    for prefix in (
        "topic_boxes",
        "related_pins",
        "gallery_pictures",
        "corrections",
        "preview_links",
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def make_ticker(article=None, **overrides):
    """A running Liveticker on a published article."""
    return Ticker.objects.create(article=article or make_article(), **overrides)


def make_entry(ticker, text="<p>Ein neuer Eintrag.</p>", **overrides):
    entry = Entry(ticker=ticker, text=text, **overrides)
    entry.save()
    return entry


def make_eilmeldung(**overrides):
    """A running Eilmeldung with a text of its own."""
    fields = {"text": "Eilmeldung: Der Bundestag ist aufgelöst"}
    fields.update(overrides)
    return Eilmeldung.objects.create(**fields)


def make_embed(url="https://vimeo.com/76979871", **overrides):
    """An embed whose title was fetched (no preview picture)."""
    link = recognise(url)
    fields = {
        "url": link.url,
        "provider": link.provider,
        "frame_url": link.frame_url,
        "title": "Ein Film über den Hafen",
        "state": PreviewState.READY,
    }
    fields.update(overrides)
    return Embed.objects.create(**fields)


def make_job(task=None, args=(), **overrides):
    """A job row as the database backend stores it: waiting, by default."""
    task = task or refresh_search_vectors
    fields = {
        "task_path": task.module_path,
        "args_kwargs": {"args": list(args), "kwargs": {}},
        "backend_name": "default",
        "run_after": get_date_max(),
    }
    fields.update(overrides)
    return Job.objects.create(**fields)


def make_gallery_picture(article, **overrides):
    """A picture with all its texts, at the end of `article`'s gallery."""
    number = next(_numbers)
    fields = {
        # Small, so that its renditions are quick to make; the form would
        # refuse it (lead images are at least 1200 pixels wide).
        "image": image_file(f"bild-{number}.jpg", size=(320, 200)),
        "image_caption": f"Bildunterschrift {number}",
        "image_alt": f"Beschreibung {number}",
        "image_credit": "Newsroom/Foto",
        "position": GalleryPicture.objects.next_position(article),
    }
    fields.update(overrides)
    picture = GalleryPicture(article=article, **fields)
    picture.save()
    return picture


def make_gallery(pictures=3, **overrides):
    """A published Bilderstrecke with `pictures` complete pictures."""
    article = make_article(kind=ArticleKind.GALLERY, **overrides)
    for _ in range(pictures):
        make_gallery_picture(article)
    return article
