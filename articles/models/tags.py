from django.db import models
from django.urls import reverse
from taggit.models import ItemBase, NaturalKeyManager, TagBase

from ..text import german_slugify
from .states import published_condition


class TagQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Tags given to at least one article a reader may see."""
        return self.filter(
            pk__in=TaggedArticle.objects.filter(
                published_condition(via="content_object__")
            ).values("tag_id")
        )


class Tag(TagBase):
    # As taggit's own field; only the label differs, which taggit translates
    # as "Kürzel" (initials, to a newsroom).
    slug = models.SlugField(
        "Adressteil", unique=True, max_length=100, allow_unicode=True
    )

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
        Tag,
        verbose_name="Schlagwort",
        on_delete=models.CASCADE,
        related_name="tagged_articles",
    )
    content_object = models.ForeignKey(
        "Article",
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="tagged_items",
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
