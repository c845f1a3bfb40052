import uuid
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, RowNumber, StrIndex, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import ItemBase, NaturalKeyManager, TagBase

from . import search
from .images import Renditions, validate_lead_image, without_metadata
from .text import free_slug, german_slugify, sanitize_body, split_after_paragraphs

# URL prefixes served before the section catch-all (see articles/urls.py):
# no top-level section may take one of these slugs.
RESERVED_SECTION_SLUGS = {
    "admin",
    "anzeigen",
    "autor",
    "feed",
    "statistik",
    "thema",
    "suche",
    "vorschau",
    "static",
    "media",
}

MAX_HEADLINE_LENGTH_TO_PUBLISH = 110
PREVIEW_LINK_LIFETIME = timedelta(hours=48)


class SectionQuerySet(models.QuerySet):
    def top_level(self):
        """Sections without a parent, in the editors' order."""
        return self.filter(parent__isnull=True)

    def with_articles(self, articles, leaving_out=None, count=4):
        """Pair each section with up to `count` of `articles` filed below it.

        Sections without any of the articles are left out.
        """
        blocks = []
        for section in self:
            below = [
                article
                for article in articles
                if article != leaving_out
                and (article.section.path + "/").startswith(section.path + "/")
            ]
            if below:
                blocks.append((section, below[:count]))
        return blocks

    def ancestry(self, path):
        """The section at `path` and every section above it, outermost first."""
        segments = path.split("/")
        prefixes = ["/".join(segments[: depth + 1]) for depth in range(len(segments))]
        return sorted(self.filter(path__in=prefixes), key=lambda s: len(s.path))


class Section(models.Model):
    name = models.CharField("Name", max_length=100)
    slug = models.SlugField(
        "Kürzel",
        max_length=100,
        blank=True,
        help_text="Teil der Adresse. Leer lassen, um es aus dem Namen zu bilden.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="Übergeordnetes Ressort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(
        "Reihenfolge", default=0, help_text="Kleinere Zahlen stehen weiter vorn."
    )
    description = models.TextField("Beschreibung", blank=True)
    path = models.CharField(max_length=500, unique=True, editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = "Ressort"
        verbose_name_plural = "Ressorts"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = german_slugify(self.name)
        old_path = self.path
        self.path = self._own_path()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path)

    def get_absolute_url(self):
        return reverse("articles:section_detail", kwargs={"section_path": self.path})

    def ancestry(self):
        """This section and every section above it, outermost first."""
        if self.parent_id is None:
            return [self]
        return Section.objects.ancestry(self.path)

    def _own_path(self):
        return f"{self.parent.path}/{self.slug}" if self.parent else self.slug

    def _move_descendants(self, old_path):
        """Rewrite the paths below a moved section and keep its old URLs."""
        moved = [self, *Section.objects.filter(path__startswith=f"{old_path}/")]
        for section in moved[1:]:
            section.path = self.path + section.path[len(old_path) :]
        Section.objects.bulk_update(moved[1:], ["path"])
        for section in moved:
            SectionRedirect.objects.update_or_create(
                old_path=reverse(
                    "articles:section_detail",
                    kwargs={"section_path": old_path + section.path[len(self.path) :]},
                ),
                defaults={"section": section},
            )
        ArticleRedirect.remember(
            Article.objects.filter(section__in=moved).select_related("section"),
            old_section_paths={
                section.pk: old_path + section.path[len(self.path) :]
                for section in moved
            },
        )

    def clean(self):
        if not self.slug:
            self.slug = german_slugify(self.name)
        if not self.slug:
            raise ValidationError(
                {
                    "slug": "Der Name enthält keine Buchstaben oder Ziffern; bitte "
                    "ein Kürzel angeben."
                }
            )
        if self.parent_id is None and self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError(
                {"slug": f"„{self.slug}“ ist für eine feste Adresse reserviert."}
            )
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": "Ein Ressort kann nicht unter sich selbst stehen."}
                    )
                ancestor = ancestor.parent
        if Section.objects.filter(path=self._own_path()).exclude(pk=self.pk).exists():
            raise ValidationError(
                {
                    "slug": "Dieses Kürzel gibt es unter dem übergeordneten Ressort schon."
                }
            )
        if self.parent_id and (
            Article.objects.filter(section_id=self.parent_id, slug=self.slug).exists()
        ):
            raise ValidationError(
                {
                    "slug": "Ein Artikel im übergeordneten Ressort hat schon diese Adresse."
                }
            )


class AuthorQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Authors with at least one article a reader may see."""
        return self.filter(
            pk__in=Article.authors.through.objects.filter(
                article__in=Article.objects.published()
            ).values("author_id")
        )


class Author(models.Model):
    name = models.CharField("Name", max_length=100)
    slug = models.SlugField("Kürzel", max_length=100, unique=True, blank=True)
    bio = models.TextField("Kurzbiografie", blank=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        verbose_name = "Autor/in"
        verbose_name_plural = "Autorinnen und Autoren"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author_detail", kwargs={"slug": self.slug})

    def _free_slug(self):
        # A name without letters or digits ("???") still needs an address.
        base = german_slugify(self.name)[:90] or "autor"
        return free_slug(base, Author.objects.exclude(pk=self.pk))


class TagQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Tags given to at least one article a reader may see."""
        return self.filter(
            pk__in=TaggedArticle.objects.filter(
                content_object__in=Article.objects.published()
            ).values("tag_id")
        )


class Tag(TagBase):
    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        verbose_name = "Schlagwort"
        verbose_name_plural = "Schlagwörter"
        ordering = ["name"]

    def slugify(self, tag, i=None):
        # A tag without letters or digits ("#", "???") still needs an address.
        slug = german_slugify(tag) or "thema"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return reverse("articles:tag_detail", kwargs={"slug": self.slug})


class TaggedArticle(ItemBase):
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_articles"
    )
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "Verschlagwortung"
        verbose_name_plural = "Verschlagwortungen"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"],
                name="articles_taggedarticle_unique",
            ),
        ]


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL, a plain one elsewhere.

    SQLite rebuilds a table with all its indexes whenever a column changes,
    so the index must be creatable there too (the column stays empty).
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, **kwargs)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    REVIEW = "review", "In Prüfung"
    PUBLISHED = "published", "Veröffentlicht"
    WITHDRAWN = "withdrawn", "Zurückgezogen"


class StaleEditError(Exception):
    """Someone else saved the article since this copy was loaded."""


def published_condition(via=""):
    """The one definition of "a reader may see it", for articles reached
    through `via` (a relation path such as "target__") or directly."""
    now = timezone.now()
    return (
        Q(**{f"{via}unpublish_at__isnull": True}) | Q(**{f"{via}unpublish_at__gt": now})
    ) & Q(**{f"{via}status": ArticleStatus.PUBLISHED, f"{via}published_at__lte": now})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see: published, its time come and not yet gone.

        Decided when the database is queried, so scheduled articles appear
        and expire on time without any job running.
        """
        return self.filter(published_condition())

    def scheduled(self):
        """Published articles whose time has not come yet."""
        return self.filter(
            status=ArticleStatus.PUBLISHED, published_at__gt=timezone.now()
        )

    def readable_by(self, user):
        """The articles `user` may read in the admin and preview.

        Everything for the people who write articles; published ones only
        for the others (ad managers), so no one outside the newsroom reads
        an unpublished story.
        """
        if user.has_perm("articles.change_article"):
            return self
        return self.published()

    def editable_by(self, user):
        """The articles `user` may change: everything for editors, own drafts otherwise."""
        if not user.has_perm("articles.change_article"):
            return self.none()
        if user.has_perm("articles.edit_others_articles"):
            return self
        return self.filter(created_by=user, status=ArticleStatus.DRAFT)

    def in_section(self, section):
        """Articles of `section` and of every section below it."""
        return self.filter(
            Q(section__path=section.path)
            | Q(section__path__startswith=f"{section.path}/")
        )

    def tagged(self, tag):
        return self.filter(tags=tag)

    def by_author(self, author):
        return self.filter(authors=author)

    def since(self, moment):
        """Articles published at `moment` or later."""
        return self.filter(published_at__gte=moment)

    def for_cards(self):
        """What an article card shows, fetched in the same query."""
        return self.select_related("section")

    def with_tag_list(self):
        """Prefetch what Article.tag_list reads."""
        return self.prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by(
                    "tag__name"
                ),
            )
        )

    def for_feeds(self):
        """What a feed item shows, in three queries however many items."""
        return (
            self.select_related("section")
            .with_tag_list()
            .prefetch_related("authors", "corrections")
        )

    def published_or_scheduled(self):
        """Articles that are or will be live without another edit.

        The stored recommendation lists include scheduled articles, so that
        they show up by themselves once their time comes; readers still only
        ever get what published() lets through.
        """
        return self.filter(status=ArticleStatus.PUBLISHED)

    def related_to(self, article):
        """The stored "Das könnte Sie auch interessieren" list of `article`."""
        return self.filter(recommended_in__article=article).order_by(
            "recommended_in__position"
        )

    def newest_near(self, article):
        """Newest first: `article`'s section, then its parent's, then the rest."""
        section = article.section
        parent_path = section.path.rpartition("/")[0] or section.path
        return (
            self.exclude(pk=article.pk)
            .annotate(
                nearness=Case(
                    When(section_id=section.pk, then=Value(2)),
                    When(
                        Q(section__path=parent_path)
                        | Q(section__path__startswith=f"{parent_path}/"),
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("-nearness", "-published_at", "-pk")
        )

    def search(self, query):
        """Articles matching the reader's words, best match first."""
        return search.matching(self, query)

    def refresh_search_vectors(self):
        """Rebuild the stored full-text vectors (PostgreSQL only)."""
        if connection.vendor == "postgresql":
            self.update(search_vector=search.document_vector())

    def most_read(self):
        """The stored "Meistgelesen" list, most read first."""
        return (
            self.filter(most_read_places__isnull=False)
            .annotate(recent_views=F("most_read_places__views"))
            .order_by("most_read_places__position")
        )

    def latest_per_top_section(self, sections, count):
        """The newest `count` articles below each of `sections`, in one query.

        Where the database allows it, each section's articles come from
        their own index read, so the cost stays the same however large the
        archive; otherwise (SQLite, in development) one window over all.
        """
        if not connection.features.supports_slicing_ordering_in_compound:
            return self._latest_per_top_section_by_window(count)
        parts = [
            self.in_section(section).order_by("-published_at", "-pk")[:count]
            for section in sections
        ]
        if len(parts) < 2:
            # A union needs two parts; a single slice is already in order.
            return parts[0] if parts else self.none()
        return parts[0].union(*parts[1:], all=True).order_by("-published_at", "-pk")

    def _latest_per_top_section_by_window(self, count):
        path = Concat("section__path", Value("/"))
        return (
            self.annotate(
                top_section_slug=Substr(path, 1, StrIndex(path, Value("/")) - 1),
            )
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("top_section_slug"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=count)
            .order_by("-published_at", "-pk")
        )


class Article(models.Model):
    kicker = models.CharField(
        "Dachzeile",
        max_length=80,
        blank=True,
        help_text="Kurze Zeile über der Überschrift.",
    )
    headline = models.CharField("Überschrift", max_length=200)
    slug = models.SlugField(
        "Kürzel",
        max_length=200,
        blank=True,
        help_text="Teil der Adresse. Leer lassen, um es aus der Überschrift zu bilden.",
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
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Angelegt von",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    is_ad_free = models.BooleanField(
        "Keine Werbung",
        default=False,
        help_text="Für sensible Themen (Unglücke, Todesfälle): Auf dieser Seite "
        "erscheint keine Anzeige, auch keine Eigenwerbung.",
    )
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    updated_at = models.DateTimeField("Zuletzt geändert", auto_now=True)
    # Changes with every save; a form carrying an older value is stale.
    edit_token = models.UUIDField(default=uuid.uuid4, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "Artikel"
        verbose_name_plural = "Artikel"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "slug"],
                name="articles_article_slug_unique_in_section",
                violation_error_message="In diesem Ressort gibt es schon einen Artikel "
                "mit diesem Kürzel.",
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
            # The sitemap index's newest change, without reading every row.
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
        if self.image and not self.image._committed:
            cleaned = without_metadata(self.image)
            self.image.save(cleaned.name, cleaned, save=False)
        if self.image and not self.image_width:
            # A file assigned without a name leaves the size unread.
            self._meta.get_field("image").update_dimension_fields(self, force=True)
        with transaction.atomic():
            if not self._state.adding:
                self._claim_edit_token()
                ArticleRedirect.remember(
                    Article.objects.filter(pk=self.pk)
                    .exclude(section_id=self.section_id, slug=self.slug)
                    .select_related("section")
                )
            super().save(*args, **kwargs)
            Article.objects.filter(pk=self.pk).refresh_search_vectors()
        self.__dict__.pop("renditions", None)
        if self.renditions:
            self.renditions.create(self.image)

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
                    "slug": "Ein Unterressort hat schon diese Adresse; bitte ein anderes Kürzel."
                }
            )
        if self.status == ArticleStatus.PUBLISHED:
            if problems := self.publication_problems():
                raise ValidationError(problems)
            # Publishing without a time means now; set before the
            # constraints are checked.
            self.published_at = self.published_at or timezone.now()

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

    def publication_problems(self):
        """What keeps this article from going live, one German sentence each."""
        problems = []
        if not self.headline.strip():
            problems.append("Die Überschrift fehlt.")
        elif len(self.headline) > MAX_HEADLINE_LENGTH_TO_PUBLISH:
            problems.append(
                f"Die Überschrift ist {len(self.headline)} Zeichen lang; erlaubt sind "
                f"höchstens {MAX_HEADLINE_LENGTH_TO_PUBLISH}."
            )
        if not self.lead.strip():
            problems.append("Der Vorspann fehlt.")
        if not self.section_id:
            problems.append("Das Ressort fehlt.")
        if self.image:
            if not self.image_alt.strip():
                problems.append("Der Alternativtext zum Aufmacherbild fehlt.")
            if not self.image_credit.strip():
                problems.append("Der Bildnachweis zum Aufmacherbild fehlt.")
        return problems

    def can_be_edited_by(self, user):
        return Article.objects.editable_by(user).filter(pk=self.pk).exists()

    def submit_for_review(self):
        if self.status != ArticleStatus.DRAFT:
            raise ValidationError("Nur Entwürfe können zur Prüfung eingereicht werden.")
        self.status = ArticleStatus.REVIEW
        self.save()

    def publish(self, at=None):
        """Publish now, or at `at` (scheduling), if nothing is missing."""
        if problems := self.publication_problems():
            raise ValidationError(problems)
        self.status = ArticleStatus.PUBLISHED
        self.published_at = at or self.published_at or timezone.now()
        self.save()

    def withdraw(self):
        if self.status != ArticleStatus.PUBLISHED:
            raise ValidationError(
                "Nur veröffentlichte Artikel können zurückgezogen werden."
            )
        self.status = ArticleStatus.WITHDRAWN
        self.save()

    def _free_slug(self):
        base = german_slugify(self.headline)[:190] or "artikel"
        return free_slug(
            base, Article.objects.filter(section_id=self.section_id).exclude(pk=self.pk)
        )

    @property
    def is_published(self):
        now = timezone.now()
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_scheduled(self):
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def image_credit_line(self):
        return f"Foto: {self.image_credit}" if self.image_credit else ""

    @cached_property
    def tag_list(self):
        """The article's tags by name, from `with_tag_list()` when prefetched.

        Reading the tagged items with their tags is one plain join, where
        taggit's own prefetch of `tags` costs twice as much to build.
        """
        return [item.tag for item in self.tagged_items.all()]

    @cached_property
    def renditions(self):
        if not self.image or not self.image_width:
            return None
        return Renditions(
            self.image.name,
            (self.image_width, self.image_height),
            (self.image_focal_x, self.image_focal_y),
        )

    @property
    def image_renditions(self):
        """(url, width) of each JPEG copy in the original framing, narrowest first."""
        if not self.renditions:
            return []
        return [
            (self.renditions.url("original", width), width)
            for width in self.renditions.widths("original")
        ]

    def image_srcset(self, crop="original", extension="jpg"):
        return self.renditions.srcset(crop, extension) if self.renditions else ""

    @property
    def feed_image(self):
        """(url, size in bytes) of a mid-sized rendition, or None."""
        if not self.image_renditions:
            return None
        url, width = self.image_renditions[min(1, len(self.image_renditions) - 1)]
        try:
            size = self.image.storage.size(
                self.renditions.name("original", width, "jpg")
            )
        except OSError:
            size = 0
        return url, size

    def structured_data_images(self):
        """The 16:9, 4:3 and 1:1 crops search engines ask for, largest of each."""
        return list(self.crop_urls().values())

    def recommendations(self, count):
        """Up to `count` articles for "Das könnte Sie auch interessieren".

        The stored list decides the order; what a reader may see is decided
        now, and if too little of the list is visible, the newest articles
        near this one fill the block.
        """
        shown = list(Article.objects.published().related_to(self).for_cards()[:count])
        if len(shown) < count:
            shown += (
                Article.objects.published()
                .exclude(pk__in=[article.pk for article in shown])
                .newest_near(self)
                .for_cards()[: count - len(shown)]
            )
        return shown

    @property
    def card_image_url(self):
        """A small 16:9 crop for cards and lists."""
        if not self.renditions:
            return ""
        return self.renditions.url("16x9", self.renditions.widths("16x9")[0])

    @property
    def card_image_srcset(self):
        return self.image_srcset("16x9")

    @property
    def card_image_srcset_webp(self):
        return self.image_srcset("16x9", "webp")

    @property
    def lead_image_srcset(self):
        return self.image_srcset("original")

    @property
    def lead_image_srcset_webp(self):
        return self.image_srcset("original", "webp")

    def crop_urls(self):
        """The largest JPEG of each crop, e.g. for structured data."""
        if not self.renditions:
            return {}
        return {
            crop: self.renditions.url(crop, self.renditions.widths(crop)[-1])
            for crop in ("16x9", "4x3", "1x1")
        }

    @property
    def last_revised_at(self):
        """When the newest correction or update was published, if any."""
        revisions = self.corrections.all()
        return max((entry.created_at for entry in revisions), default=None)

    @property
    def modified_at(self):
        """The last change readers were told about: an update, else publication."""
        return self.last_revised_at or self.published_at

    def body_parts(self, boxes):
        """The body as (markup, boxes placed after it) pairs, in reading order.

        A box whose position lies past the last paragraph goes at the end.
        """
        chunks = split_after_paragraphs(self.body)
        placed = [[] for _ in chunks]
        for box in boxes:
            placed[min(box.after_paragraph, len(chunks)) - 1].append(box)
        return list(zip(chunks, placed, strict=True))


class TopicBoxQuerySet(models.QuerySet):
    def visible(self):
        """Boxes whose target a reader may see."""
        # A join rather than a subquery of published(): cheaper to build.
        return self.filter(published_condition(via="target__"))


class TopicBox(models.Model):
    """A "Mehr zum Thema" link to another article, placed inside the body."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="topic_boxes"
    )
    target = models.ForeignKey(
        Article,
        verbose_name="Verlinkter Artikel",
        on_delete=models.CASCADE,
        related_name="+",
    )
    after_paragraph = models.PositiveSmallIntegerField(
        "Nach Absatz",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="Der Kasten erscheint nach diesem Absatz (1 = nach dem ersten).",
    )

    objects = TopicBoxQuerySet.as_manager()

    class Meta:
        verbose_name = "„Mehr zum Thema“-Kasten"
        verbose_name_plural = "„Mehr zum Thema“-Kästen"
        ordering = ["after_paragraph", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=F("article")),
                name="articles_topicbox_not_self",
                violation_error_message="Ein Artikel kann nicht auf sich selbst verweisen.",
            ),
            models.CheckConstraint(
                condition=Q(after_paragraph__gte=1),
                name="articles_topicbox_after_a_paragraph",
                violation_error_message="Die Position zählt ab Absatz 1.",
            ),
        ]

    def __str__(self):
        return f"Mehr zum Thema: {self.target}"


class ArticleRedirectQuerySet(models.QuerySet):
    def to_published(self):
        """Redirects whose article a reader may see."""
        return self.filter(article__in=Article.objects.published())


class OldAddress(models.Model):
    """An address something had before it moved; answered with a 301."""

    old_path = models.CharField("Alte Adresse", max_length=700, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.old_path


class ArticleRedirect(OldAddress):
    """An address an article had before its slug or section changed."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="redirects"
    )

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta(OldAddress.Meta):
        verbose_name = "Weiterleitung"
        verbose_name_plural = "Weiterleitungen"

    @classmethod
    def remember(cls, articles, old_section_paths=None):
        """Keep the current URLs of `articles` before they change.

        `old_section_paths` maps section ids to the path they had, for
        articles whose section was renamed or moved and already saved.
        """
        old_section_paths = old_section_paths or {}
        for article in articles:
            section_path = old_section_paths.get(
                article.section_id, article.section.path
            )
            old_path = reverse(
                "articles:article_detail",
                kwargs={"section_path": section_path, "slug": article.slug},
            )
            cls.objects.update_or_create(
                old_path=old_path, defaults={"article": article}
            )


class SectionRedirect(OldAddress):
    """An address a section had before it was renamed or moved."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="redirects"
    )

    class Meta(OldAddress.Meta):
        verbose_name = "Ressort-Weiterleitung"
        verbose_name_plural = "Ressort-Weiterleitungen"


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Korrektur"
    UPDATE = "update", "Aktualisierung"


class Correction(models.Model):
    """A dated note to readers that the article was corrected or updated."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        "Art", max_length=12, choices=CorrectionKind, default=CorrectionKind.UPDATE
    )
    text = models.TextField(
        "Hinweis für die Leser",
        help_text="Was wurde korrigiert oder ergänzt? Erscheint unter dem Artikel.",
    )
    created_at = models.DateTimeField("Zeitpunkt", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "Korrektur oder Aktualisierung"
        verbose_name_plural = "Korrekturen und Aktualisierungen"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} vom {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        """Links that still open their preview: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def default_preview_expiry():
    return timezone.now() + PREVIEW_LINK_LIFETIME


class PreviewLink(models.Model):
    """A link that shows an unpublished article to someone without an account."""

    SIGNING_SALT = "articles.preview-link"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="preview_links"
    )
    created_at = models.DateTimeField("Erstellt", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    expires_at = models.DateTimeField("Gültig bis", default=default_preview_expiry)
    revoked_at = models.DateTimeField("Widerrufen", null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "Vorschau-Link"
        verbose_name_plural = "Vorschau-Links"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Vorschau bis {timezone.localtime(self.expires_at):%d.%m.%Y %H:%M}"

    def get_absolute_url(self):
        # No timestamp in the token: one link keeps one address; it expires
        # through expires_at, which the desk can change.
        token = signing.Signer(salt=self.SIGNING_SALT).sign_object(self.pk)
        return reverse("articles:shared_preview", kwargs={"token": token})

    @classmethod
    def from_token(cls, token):
        """The usable link a token names, or None for a bad, old or revoked one."""
        try:
            pk = signing.Signer(salt=cls.SIGNING_SALT).unsign_object(token)
        except signing.BadSignature:
            return None
        return cls.objects.usable().select_related("article").filter(pk=pk).first()

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class RelatedPin(models.Model):
    """An article the editors put first into another's recommendations."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_pins"
    )
    target = models.ForeignKey(
        Article,
        verbose_name="Empfohlener Artikel",
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(
        "Reihenfolge", default=0, help_text="Kleinere Zahlen stehen weiter vorn."
    )

    class Meta:
        verbose_name = "Feste Empfehlung"
        verbose_name_plural = "Feste Empfehlungen („Das könnte Sie auch interessieren“)"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target"],
                name="articles_relatedpin_unique",
                violation_error_message="Dieser Artikel ist schon fest empfohlen.",
            ),
            models.CheckConstraint(
                condition=~Q(target=F("article")),
                name="articles_relatedpin_not_self",
                violation_error_message="Ein Artikel kann sich nicht selbst empfehlen.",
            ),
        ]

    def __str__(self):
        return f"Empfehlung: {self.target}"


class RecommendationSource(models.TextChoices):
    PINNED = "pinned", "Redaktion"
    RANKED = "ranked", "Ähnlichkeit"
    FALLBACK = "fallback", "Neueste in der Nähe"


class RelatedArticle(models.Model):
    """One place in an article's stored recommendation list.

    Written by articles.related when articles change; pages only read it.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_entries"
    )
    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="recommended_in"
    )
    position = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=RecommendationSource)
    score = models.FloatField(null=True)

    class Meta:
        verbose_name = "Empfehlung"
        verbose_name_plural = "Empfehlungen"
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="articles_relatedarticle_slot"
            ),
            models.UniqueConstraint(
                fields=["article", "target"], name="articles_relatedarticle_once"
            ),
        ]

    def __str__(self):
        return f"{self.position + 1}. {self.target_id}"


class RelatedProfile(models.Model):
    """What the ranking knows about an article's text."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="related_profile",
    )
    language = models.CharField(max_length=10)
    length = models.FloatField(help_text="Weighted number of words.")
    # Every distinct stem, so that document frequencies can be corrected
    # when the text changes.
    vocabulary = models.TextField()

    def __str__(self):
        return f"Profil {self.article_id}"


class RelatedTerm(models.Model):
    """One of the characteristic stems of an article, with its weight."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=64)
    weight = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "term"], name="articles_relatedterm_unique"
            ),
        ]
        indexes = [
            # Covers the lookup by term: the weights come from the index.
            models.Index(fields=["term", "article", "weight"], name="related_term_idx"),
        ]

    def __str__(self):
        return self.term


class RelatedTermCount(models.Model):
    """In how many indexed articles a stem occurs (for its weight)."""

    term = models.CharField(max_length=64, unique=True)
    documents = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.term}: {self.documents}"


class ViewCountQuerySet(models.QuerySet):
    def most_viewed(self):
        """(article id, views) pairs, most viewed first."""
        return (
            self.values("article_id")
            .annotate(total=Sum("views"))
            .order_by("-total", "-article_id")
            .values_list("article_id", "total")
        )


class ArticleViewsQuerySet(ViewCountQuerySet):
    def between(self, first_day, last_day):
        """Counts of the days from `first_day` to `last_day`, both included."""
        return self.filter(day__gte=first_day, day__lte=last_day)

    def per_day(self):
        """(day, views) for every day with views, oldest first."""
        return self.values("day").annotate(total=Sum("views")).order_by("day")

    def per_article(self):
        return (
            self.values(
                "article_id",
                "article__headline",
                "article__slug",
                "article__section__name",
                "article__section__path",
            )
            .annotate(total=Sum("views"))
            .order_by("-total", "article__headline", "article_id")
        )

    def per_section(self):
        return (
            self.values("article__section_id", "article__section__name")
            .annotate(total=Sum("views"))
            .order_by("-total", "article__section__name")
        )

    def per_author(self):
        """Views per author; an article by two counts fully for both."""
        return (
            self.filter(article__authors__isnull=False)
            .values("article__authors__id", "article__authors__name")
            .annotate(total=Sum("views"))
            .order_by("-total", "article__authors__name")
        )


class DailyArticleViews(models.Model):
    """Page views of one article on one day (Europe/Berlin), nothing more."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField("Tag")
    views = models.PositiveIntegerField("Aufrufe", default=0)

    objects = ArticleViewsQuerySet.as_manager()

    class Meta:
        verbose_name = "Aufrufe pro Tag"
        verbose_name_plural = "Aufrufe pro Tag"
        ordering = ["-day", "-views"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day"], name="articles_dailyviews_unique"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="daily_views_day_idx")]

    def __str__(self):
        return f"{self.article_id} am {self.day}: {self.views}"


class HourlyArticleViews(models.Model):
    """Views per article and hour, kept for two days for "Meistgelesen"."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="hourly_views"
    )
    hour = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)

    objects = ViewCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"], name="articles_hourlyviews_unique"
            ),
        ]
        indexes = [models.Index(fields=["hour"], name="hourly_views_hour_idx")]

    def __str__(self):
        return f"{self.article_id} ab {self.hour}: {self.views}"


class MostReadArticle(models.Model):
    """One place in the "Meistgelesen" list.

    Recomputed from the view counts by the counting requests, at most once a
    minute, so that pages only read it.
    """

    position = models.PositiveSmallIntegerField(unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="most_read_places"
    )
    views = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.position + 1}. {self.article_id}"


# What a version of an article holds besides its own fields: tags, boxes,
# pinned recommendations and corrections, so that restoring brings them back.
reversion.register(TopicBox)
reversion.register(TaggedArticle)
reversion.register(RelatedPin)
reversion.register(Correction)
reversion.register(
    Article, follow=["topic_boxes", "tagged_items", "related_pins", "corrections"]
)
