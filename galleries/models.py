"""Bilderstrecken: an article with ordered pictures is a gallery.

The pictures are rows attached to the article, like the Liveticker's
entries: the article keeps its workflow, versions, previews and page, and
its page shows one picture at a time, each with its own address.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import RowNumber
from django.urls import reverse

from articles.models import Article, ArticleKind
from images.models import PictureWithRenditions
from images.uploads import validate_lead_image

# What each picture needs before its gallery goes online, by field.
REQUIRED_TEXTS = {
    "image_caption": "Bildunterschrift",
    "image_alt": "Alternativtext",
    "image_credit": "Bildnachweis",
}


def missing_texts(values):
    """The labels of REQUIRED_TEXTS left empty in `values` (field -> text)."""
    return [
        label
        for field, label in REQUIRED_TEXTS.items()
        if not (values.get(field) or "").strip()
    ]


def picture_problem(number, file_name, missing):
    """The German sentence refusing publication for one picture, or None."""
    if not missing:
        return None
    what = (
        missing[0]
        if len(missing) == 1
        else f"{', '.join(missing[:-1])} und {missing[-1]}"
    )
    verb = "fehlt" if len(missing) == 1 else "fehlen"
    name = file_name.rsplit("/", 1)[-1]
    return f"Bild {number} der Bilderstrecke („{name}“): {what} {verb}."


class GalleryPictureQuerySet(models.QuerySet):
    def of(self, article):
        """The pictures of `article`'s gallery, in reading order."""
        return self.filter(article=article).order_by("position", "pk")

    def publication_problems(self, article):
        """What keeps the stored pictures of `article` from going online."""
        problems = []
        pictures = list(self.of(article))
        if article.kind == ArticleKind.GALLERY and not pictures:
            problems.append("Die Bilderstrecke hat noch kein Bild.")
        for number, picture in enumerate(pictures, start=1):
            values = {field: getattr(picture, field) for field in REQUIRED_TEXTS}
            problem = picture_problem(number, picture.image.name, missing_texts(values))
            if problem:
                problems.append(problem)
        return problems

    def shown_in_sitemaps(self):
        """The pictures of published galleries, each with its `number`."""
        return (
            self.filter(
                article__in=Article.objects.published().filter(kind=ArticleKind.GALLERY)
            )
            .select_related("article__section")
            .annotate(
                number=models.Window(
                    RowNumber(),
                    partition_by=[models.F("article")],
                    order_by=[models.F("position"), models.F("pk")],
                )
            )
            .order_by("article", "position", "pk")
        )

    def next_position(self, article):
        last = self.of(article).aggregate(last=models.Max("position"))["last"]
        return (last or 0) + 1


class GalleryPicture(PictureWithRenditions, models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="gallery_pictures",
    )
    position = models.PositiveIntegerField(
        "Reihenfolge",
        default=0,
        help_text="Kleinere Zahlen zuerst. Mit der Maus lassen sich die Bilder "
        "auch ziehen.",
    )
    image = models.ImageField(
        "Bild",
        upload_to="galleries/%Y/%m/",
        width_field="image_width",
        height_field="image_height",
        validators=[validate_lead_image],
        help_text="JPEG, PNG oder WebP, mindestens 1200 Pixel breit, höchstens "
        "15 MB. Ortsdaten und andere Metadaten werden entfernt.",
    )
    image_width = models.PositiveIntegerField(
        "Bildbreite", null=True, blank=True, editable=False
    )
    image_height = models.PositiveIntegerField(
        "Bildhöhe", null=True, blank=True, editable=False
    )
    image_caption = models.CharField("Bildunterschrift", max_length=300, blank=True)
    image_alt = models.CharField(
        "Alternativtext",
        max_length=250,
        blank=True,
        help_text="Beschreibt das Bild für Menschen, die es nicht sehen.",
    )
    image_credit = models.CharField(
        "Bildnachweis",
        max_length=150,
        blank=True,
        help_text="Ohne „Foto:“, z. B. „dpa/Max Muster“.",
    )
    image_focal_x = models.FloatField(
        "Fokus waagerecht",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 = linker Rand, 1 = rechter Rand.",
    )
    image_focal_y = models.FloatField(
        "Fokus senkrecht",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 = oberer Rand, 1 = unterer Rand.",
    )

    objects = GalleryPictureQuerySet.as_manager()

    class Meta:
        verbose_name = "Bild der Bilderstrecke"
        verbose_name_plural = "Bilderstrecke"
        ordering = ["position", "pk"]
        indexes = [
            models.Index(
                fields=["article", "position"], name="gallery_picture_order_idx"
            )
        ]

    def __str__(self):
        return self.image_caption or self.image.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.create_copies_later()

    @property
    def largest_image_url(self):
        """The widest copy in the original framing, for search engines."""
        if self.image_renditions:
            return self.image_renditions[-1][0]
        return self.image.url


def picture_url(article, number):
    """The address of picture `number` (from 1) of `article`'s gallery: the
    article's own for the first, so that it has one address only."""
    if number == 1:
        return article.get_absolute_url()
    return reverse(
        "galleries:picture_page",
        kwargs={
            "section_path": article.section.path,
            "slug": article.slug,
            "number": number,
        },
    )
