from django.db import models
from django.urls import reverse

from .articles import Article
from .sections import Section
from .states import published_condition


class ArticleRedirectQuerySet(models.QuerySet):
    def to_published(self):
        """Redirects whose article a reader may see."""
        return self.filter(published_condition(via="article__"))


class OldAddress(models.Model):
    """An address something had before it moved; answered with a 301."""

    old_path = models.CharField("Alte Adresse", max_length=700, unique=True)
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.old_path


class ArticleRedirect(OldAddress):
    """An address an article had before its slug or section changed."""

    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="redirects",
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

    @classmethod
    def record_move(cls, article, old_path):
        """`article` left `old_path` for the address it has now.

        The old address sends readers on from now on; the current one stops
        doing so, since an article that comes back to an earlier address
        (a restored version, a slug changed back) answers there itself.
        """
        current_path = article.get_absolute_url()
        if old_path != current_path:
            cls.objects.update_or_create(
                old_path=old_path, defaults={"article": article}
            )
        article.redirects.filter(old_path=current_path).delete()


class SectionRedirect(OldAddress):
    """An address a section had before it was renamed or moved."""

    section = models.ForeignKey(
        Section,
        verbose_name="Ressort",
        on_delete=models.CASCADE,
        related_name="redirects",
    )

    class Meta(OldAddress.Meta):
        verbose_name = "Ressort-Weiterleitung"
        verbose_name_plural = "Ressort-Weiterleitungen"
