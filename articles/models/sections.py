from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse

from ..text import german_slugify

# URL prefixes served before the section catch-all (see articles/urls.py):
# no top-level section may take one of these slugs.
RESERVED_SECTION_SLUGS = {
    "admin",
    "anzeigen",
    "autor",
    "feed",
    "info",
    "liveticker",
    "statistik",
    "thema",
    "suche",
    "vorschau",
    "static",
    "media",
}


# Between the names of a section's path: "News › Politik".
PATH_SEPARATOR = " › "


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
        return sorted(
            self.filter(path__in=path_prefixes(path)), key=lambda s: len(s.path)
        )

    def labelled_by_path(self):
        """These sections as a list sorted by their full names, each with
        `full_name` ("News › Politik"), for choosing among many at once.

        The names come from the sections' paths: one query, and one more
        only if these leave out a section above one of them.
        """
        sections = list(self)
        names = {section.path: section.name for section in sections}
        missing = {
            prefix
            for section in sections
            for prefix in path_prefixes(section.path)
            if prefix not in names
        }
        if missing:
            names |= dict(
                Section.objects.filter(path__in=missing).values_list("path", "name")
            )
        for section in sections:
            section.path_names = [
                names.get(prefix, "") for prefix in path_prefixes(section.path)
            ]
            section.full_name = PATH_SEPARATOR.join(section.path_names)
        return sorted(
            sections, key=lambda s: [name.casefold() for name in s.path_names]
        )


def path_prefixes(path):
    """The paths from the outermost section down to `path` itself."""
    segments = path.split("/")
    return ["/".join(segments[: depth + 1]) for depth in range(len(segments))]


class Section(models.Model):
    name = models.CharField("Name", max_length=100)
    slug = models.SlugField(
        "Adressteil",
        max_length=100,
        blank=True,
        help_text="Der Teil der Webadresse für dieses Ressort, z. B. „politik“. "
        "Leer lassen, um ihn aus dem Namen zu bilden.",
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
    path = models.CharField("Pfad", max_length=500, unique=True, editable=False)

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
        # Articles and redirects point at sections, so they import this module.
        from .articles import Article
        from .redirects import ArticleRedirect, SectionRedirect

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
                    "einen Adressteil angeben."
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
                    "slug": "Diesen Adressteil gibt es unter dem übergeordneten "
                    "Ressort schon."
                }
            )
        if self.parent_id and (self.parent.articles.filter(slug=self.slug).exists()):
            raise ValidationError(
                {
                    "slug": "Ein Artikel im übergeordneten Ressort hat schon diese Adresse."
                }
            )
