import uuid
from types import SimpleNamespace

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import (
    F,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager

from images.models import PictureWithRenditions
from images.uploads import validate_lead_image

from .. import jobs
from ..text import free_slug, german_slugify, sanitize_body, split_after_paragraphs
from .authors import Author
from .fields import created_by_field
from .publication import Publication
from .querysets import ArticleQuerySet
from .sections import Section
from .states import (
    WRITER_STATUSES,
    ArticleKind,
    ArticleStatus,
    StaleEditError,
    may_publish,
)
from .tags import TaggedArticle


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL, a plain one elsewhere.

    SQLite rebuilds a table with all its indexes whenever a column changes,
    so the index must be creatable there too (the column stays empty).
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, **kwargs)


class Article(Publication, PictureWithRenditions, models.Model):
    kicker = models.CharField(
        "Dachzeile",
        max_length=80,
        blank=True,
        help_text="Kurze Zeile über der Überschrift.",
    )
    headline = models.CharField("Überschrift", max_length=200)
    slug = models.SlugField(
        "Adressteil",
        max_length=200,
        blank=True,
        help_text="Der Teil der Webadresse hinter dem Ressort, z. B. "
        "„laender-streiten“. Leer lassen, um ihn aus der Überschrift zu bilden.",
    )
    lead = models.TextField(
        "Vorspann", help_text="Ein bis zwei Sätze; erscheint auch in Listen und Feeds."
    )
    body = models.TextField(
        "Text",
        blank=True,
        help_text="Erlaubt sind Absätze, Zwischenüberschriften, fett, kursiv, Links, "
        "Listen und Zitate; alles andere wird beim Speichern entfernt.",
    )
    section = models.ForeignKey(
        Section,
        verbose_name="Ressort",
        on_delete=models.PROTECT,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name="Autorinnen und Autoren",
        related_name="articles",
        blank=True,
    )
    tags = TaggableManager(
        "Schlagwörter",
        through=TaggedArticle,
        blank=True,
        help_text="Durch Kommas getrennt.",
    )
    image = models.ImageField(
        "Aufmacherbild",
        upload_to="articles/%Y/%m/",
        width_field="image_width",
        height_field="image_height",
        blank=True,
        validators=[validate_lead_image],
        help_text="JPEG, PNG oder WebP, mindestens 1200 Pixel breit, höchstens 15 MB. "
        "Ortsdaten und andere Metadaten werden entfernt.",
    )
    image_width = models.PositiveIntegerField(
        "Bildbreite", null=True, blank=True, editable=False
    )
    image_height = models.PositiveIntegerField(
        "Bildhöhe", null=True, blank=True, editable=False
    )
    image_alt = models.CharField(
        "Alternativtext",
        max_length=250,
        blank=True,
        help_text="Beschreibt das Bild für Menschen, die es nicht sehen.",
    )
    image_focal_x = models.FloatField(
        "Bildfokus waagerecht",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 = linker Rand, 1 = rechter Rand; Zuschnitte bleiben um diesen "
        "Punkt zentriert.",
    )
    image_focal_y = models.FloatField(
        "Bildfokus senkrecht",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 = oberer Rand, 1 = unterer Rand.",
    )
    image_caption = models.CharField("Bildunterschrift", max_length=300, blank=True)
    image_credit = models.CharField(
        "Bildnachweis",
        max_length=150,
        blank=True,
        help_text="Ohne „Foto:“, z. B. „dpa/Max Muster“.",
    )
    kind = models.CharField(
        "Art",
        max_length=10,
        choices=ArticleKind,
        default=ArticleKind.TEXT,
        help_text="Eine Bilderstrecke zeigt ihre Bilder einzeln, jedes unter "
        "eigener Adresse; die Bilder stehen unten im Formular.",
    )
    status = models.CharField(
        "Status", max_length=10, choices=ArticleStatus, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(
        "Veröffentlichung",
        null=True,
        blank=True,
        help_text="Ein Zeitpunkt in der Zukunft plant die Veröffentlichung.",
    )
    unpublish_at = models.DateTimeField(
        "Sichtbar bis",
        null=True,
        blank=True,
        help_text="Optional: ab diesem Zeitpunkt ist der Artikel nicht mehr öffentlich.",
    )
    created_by = created_by_field()
    is_ad_free = models.BooleanField(
        "Keine Werbung",
        default=False,
        help_text="Für sensible Themen (Unglücke, Todesfälle): Auf dieser Seite "
        "erscheint keine Anzeige, auch keine Eigenwerbung.",
    )
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    updated_at = models.DateTimeField("Zuletzt geändert", auto_now=True)
    # Changes with every save; a form carrying an older value is stale.
    edit_token = models.UUIDField(
        "Bearbeitungsstand", default=uuid.uuid4, editable=False
    )
    search_vector = SearchVectorField("Suchindex", null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    # The ad inside the text stands after this paragraph (see body_parts).
    INLINE_AD_AFTER_PARAGRAPH = 3

    class Meta:
        verbose_name = "Artikel"
        verbose_name_plural = "Artikel"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "slug"],
                name="articles_article_slug_unique_in_section",
                violation_error_message="In diesem Ressort gibt es schon einen Artikel "
                "mit diesem Adressteil.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED)
                | Q(published_at__isnull=False),
                name="articles_article_published_has_date",
                violation_error_message="Ein veröffentlichter Artikel braucht einen "
                "Veröffentlichungszeitpunkt.",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(unpublish_at__gt=F("published_at")),
                name="articles_article_unpublish_after_publish",
                violation_error_message="„Sichtbar bis“ muss nach der "
                "Veröffentlichung liegen.",
            ),
        ]
        permissions = [
            (
                "publish_article",
                "Kann Artikel veröffentlichen, planen und zurückziehen",
            ),
            ("edit_others_articles", "Kann Artikel anderer bearbeiten"),
        ]
        indexes = [
            models.Index(
                fields=["status", "published_at"], name="article_status_pub_idx"
            ),
            SearchVectorIndex(fields=["search_vector"], name="article_search_idx"),
            # The admin sorts its list by the last save.
            models.Index(fields=["updated_at"], name="article_updated_idx"),
            # The next article to go offline by the clock (pagecache); few
            # articles have an end, so only those are indexed.
            models.Index(
                fields=["unpublish_at"],
                name="article_unpublish_idx",
                condition=Q(unpublish_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        if self.status == ArticleStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body = sanitize_body(self.body)
        with transaction.atomic():
            left = None
            if not self._state.adding:
                self._claim_edit_token()
                left = (
                    Article.objects.filter(pk=self.pk)
                    .exclude(section_id=self.section_id, slug=self.slug)
                    .select_related("section")
                    .first()
                )
            super().save(*args, **kwargs)
            if left is not None:
                # Redirects point at articles, so they import this module.
                from .redirects import ArticleRedirect

                ArticleRedirect.record_move(self, left.get_absolute_url())
            # In the transaction: it is asked for only if the save holds.
            jobs.refresh_search_vectors.enqueue([self.pk])
        self.create_copies_later()

    def get_absolute_url(self):
        return reverse(
            "articles:article_detail",
            kwargs={"section_path": self.section.path, "slug": self.slug},
        )

    def clean(self):
        if not self.slug:
            self.slug = self._free_slug()
        if self.section_id and self.section.children.filter(slug=self.slug).exists():
            raise ValidationError(
                {
                    "slug": "Ein Unterressort hat schon diese Adresse; bitte einen anderen "
                    "Adressteil wählen."
                }
            )
        if self.section_id and self._siblings().filter(slug=self.slug).exists():
            # Only a slug typed by hand gets here: an empty one was made free.
            raise ValidationError({"slug": self._slug_taken_message()})
        if self.status == ArticleStatus.PUBLISHED:
            # Publishing without a time means now. Set before any problem is
            # raised, or the constraint on the time adds a second message.
            self.published_at = self.published_at or timezone.now()
            # The form's inlines check their own rows: they may be put right
            # in the same save.
            if problems := self.publication_problems(attached=False):
                raise ValidationError(problems)

    def _claim_edit_token(self):
        """Swap the edit token, or fail if someone saved since this copy was read.

        One conditional UPDATE, so two saves racing each other cannot both win.
        """
        new_token = uuid.uuid4()
        claimed = Article.objects.filter(pk=self.pk, edit_token=self.edit_token).update(
            edit_token=new_token
        )
        if not claimed:
            raise StaleEditError(self.pk)
        self.edit_token = new_token

    def can_be_edited_by(self, user):
        return Article.objects.editable_by(user).filter(pk=self.pk).exists()

    def statuses_for(self, user):
        """The states `user` may give this article.

        The desk chooses any; everyone else moves it between draft and
        review, and may leave it in the state it already has.
        """
        if may_publish(user):
            return list(ArticleStatus)
        allowed = {*WRITER_STATUSES, self.status}
        return [status for status in ArticleStatus if status in allowed]

    def can_be_restored_by(self, user, old_status):
        """Whether `user` may bring back an older version of this article
        that had the state `old_status`.

        Restoring is changing the article as it is now. Without the right
        to publish only a draft may come back: an old draft of one's own
        must not overwrite the published article, nor an old version bring
        its "published" state into the form.
        """
        return self.can_be_edited_by(user) and (
            may_publish(user) or old_status == ArticleStatus.DRAFT
        )

    def submit_for_review(self):
        if self.status != ArticleStatus.DRAFT:
            raise ValidationError("Nur Entwürfe können zur Prüfung eingereicht werden.")
        self.status = ArticleStatus.REVIEW
        self.save()

    def return_to_draft(self):
        """Send an article in review back to its writer."""
        if self.status != ArticleStatus.REVIEW:
            raise ValidationError(
                "Nur Artikel in Prüfung können an die Redaktion zurückgegeben werden."
            )
        self.status = ArticleStatus.DRAFT
        self.save()

    def _siblings(self):
        return Article.objects.filter(section_id=self.section_id).exclude(pk=self.pk)

    def _free_slug(self):
        base = german_slugify(self.headline)[:190] or "artikel"
        return free_slug(base, self._siblings())

    def _slug_taken_message(self):
        suggestion = free_slug(self.slug[:190], self._siblings())
        return (
            f"In diesem Ressort gibt es schon einen Artikel mit der Adresse "
            f"„{self.slug}“. Frei wäre zum Beispiel „{suggestion}“. Oder lassen Sie "
            "das Feld leer: Dann wird eine freie Adresse aus der Überschrift gebildet."
        )

    @property
    def is_gallery(self):
        """A Bilderstrecke: its pictures stand in place of the lead image."""
        return self.kind == ArticleKind.GALLERY

    @property
    def workflow_state(self):
        """(key, label) of where the article stands for the newsroom: its
        status, with scheduled and expired told apart from published."""
        if self.is_scheduled:
            return "scheduled", "Geplant"
        if self.is_expired:
            return "expired", "Abgelaufen"
        return self.status, self.get_status_display()

    @property
    def takes_corrections(self):
        """Corrections tell readers what changed, so only an article with a
        publication time takes them."""
        return self.published_at is not None

    @cached_property
    def tag_list(self):
        """The article's tags by name, from `with_tag_list()` when prefetched.

        Reading the tagged items with their tags is one plain join, where
        taggit's own prefetch of `tags` costs twice as much to build.
        """
        return [item.tag for item in self.tagged_items.all()]

    def structured_data_images(self):
        """The 16:9, 4:3 and 1:1 crops search engines ask for, largest of each."""
        return list(self.crop_urls().values())

    @property
    def last_revised_at(self):
        """When the newest correction or update was published, if any."""
        revisions = self.corrections.all()
        return max((entry.created_at for entry in revisions), default=None)

    @property
    def modified_at(self):
        """The last change readers were told about: the newest correction or
        update, or the publication if that came later (a re-publication).

        The one date for "last changed" everywhere: the page's dateModified
        and OpenGraph, and the sitemap's lastmod
        (ArticleQuerySet.last_modified says the same for many articles).
        """
        return max(
            filter(None, (self.last_revised_at, self.published_at)), default=None
        )

    def body_parts(self, boxes):
        """The body as (markup, boxes placed after it, whether the inline ad
        follows) triples, in reading order.

        A box whose position lies past the last paragraph goes at the end.
        The inline ad's place follows the INLINE_AD_AFTER_PARAGRAPH-th
        paragraph, in a text that has that many (an ad-free article leaves
        the place empty: ads.delivery.Page.about). The reader's page and the editor's
        outline (ArticleAdmin.layout_view) both place by this one rule.
        """
        chunks = split_after_paragraphs(self.body)
        placed = [[] for _ in chunks]
        for box in boxes:
            placed[min(box.after_paragraph, len(chunks)) - 1].append(box)
        return [
            (
                markup,
                boxes,
                number == self.INLINE_AD_AFTER_PARAGRAPH and number < len(chunks),
            )
            for number, (markup, boxes) in enumerate(
                zip(chunks, placed, strict=True), start=1
            )
        ]

    @classmethod
    def layout_of(cls, body, box_positions):
        """How `body` would stand once saved, with boxes after the paragraphs
        numbered in `box_positions`: (markup, indexes into `box_positions`,
        whether the inline ad follows) per part, as body_parts places them.
        A position of None (not a number yet) places no box."""
        boxes = [
            SimpleNamespace(index=index, after_paragraph=position)
            for index, position in enumerate(box_positions)
            if position is not None
        ]
        return [
            (markup, [box.index for box in placed], inline_ad)
            for markup, placed, inline_ad in cls(body=sanitize_body(body)).body_parts(
                boxes
            )
        ]
