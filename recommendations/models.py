"""What "Das könnte Sie auch interessieren" stores: editors' pins, each
article's ranked list, and the index the ranking reads."""

from django.db import models

from articles.models import Article, ArticleLink


class RelatedPin(ArticleLink):
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

    class Meta(ArticleLink.Meta):
        verbose_name = "Feste Empfehlung"
        verbose_name_plural = "Feste Empfehlungen („Das könnte Sie auch interessieren“)"
        ordering = ["position", "pk"]
        constraints = [
            *ArticleLink.Meta.constraints,
            models.UniqueConstraint(
                fields=["article", "target"],
                name="recommendations_relatedpin_unique",
                violation_error_message="Dieser Artikel ist schon fest empfohlen.",
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

    Written by recommendations.lists when articles change; pages only read it.
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
                fields=["article", "position"],
                name="recommendations_relatedarticle_slot",
            ),
            models.UniqueConstraint(
                fields=["article", "target"], name="recommendations_relatedarticle_once"
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

    class Meta:
        verbose_name = "Textprofil"
        verbose_name_plural = "Textprofile"

    def __str__(self):
        return f"Profil {self.article_id}"


class RelatedTerm(models.Model):
    """One of the characteristic stems of an article, with its weight."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=64)
    weight = models.FloatField()

    class Meta:
        verbose_name = "Kennwort eines Artikels"
        verbose_name_plural = "Kennwörter der Artikel"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "term"], name="recommendations_relatedterm_unique"
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

    class Meta:
        verbose_name = "Häufigkeit eines Kennworts"
        verbose_name_plural = "Häufigkeiten der Kennwörter"

    def __str__(self):
        return f"{self.term}: {self.documents}"
