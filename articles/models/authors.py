from django.db import models
from django.urls import reverse

from ..text import free_slug, german_slugify
from .states import published_condition


class AuthorQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Authors with at least one article a reader may see."""
        return self.filter(
            pk__in=self.model.articles.through.objects.filter(
                published_condition(via="article__")
            ).values("author_id")
        )


class Author(models.Model):
    name = models.CharField("Name", max_length=100)
    slug = models.SlugField(
        "Adressteil",
        max_length=100,
        unique=True,
        blank=True,
        help_text="Der Teil der Webadresse der Autorenseite, z. B. „jana-schmidt“. "
        "Leer lassen, um ihn aus dem Namen zu bilden.",
    )
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
