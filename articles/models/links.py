from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from .articles import Article
from .states import published_condition


class ArticleLinkQuerySet(models.QuerySet):
    def visible(self):
        """Links whose target a reader may see."""
        # A join rather than a subquery of published(): cheaper to build.
        return self.filter(published_condition(via="target__"))

    def readable_by(self, user):
        """Links whose target `user` may read in a preview: all of them for
        the newsroom, the visible ones for everyone else (ad managers), as
        Article.objects.readable_by decides for the articles themselves."""
        if user.has_perm("articles.change_article"):
            return self
        return self.visible()


class ArticleLink(models.Model):
    """A link the editors set from one article (`article`) to another.

    Each kind of link declares `article` itself, for its own related name.
    """

    target = models.ForeignKey(
        Article,
        verbose_name="Verlinkter Artikel",
        on_delete=models.CASCADE,
        related_name="+",
    )

    objects = ArticleLinkQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=F("article")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message="Ein Artikel kann nicht auf sich selbst verweisen.",
            ),
        ]


class TopicBox(ArticleLink):
    """A "Mehr zum Thema" link to another article, placed inside the body."""

    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="topic_boxes",
    )
    after_paragraph = models.PositiveSmallIntegerField(
        "Nach Absatz",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="Der Kasten erscheint nach diesem Absatz (1 = nach dem ersten).",
    )

    class Meta(ArticleLink.Meta):
        verbose_name = "„Mehr zum Thema“-Kasten"
        verbose_name_plural = "„Mehr zum Thema“-Kästen"
        ordering = ["after_paragraph", "pk"]
        constraints = [
            *ArticleLink.Meta.constraints,
            models.CheckConstraint(
                condition=Q(after_paragraph__gte=1),
                name="articles_topicbox_after_a_paragraph",
                violation_error_message="Die Position zählt ab Absatz 1.",
            ),
        ]

    def __str__(self):
        return f"Mehr zum Thema: {self.target}"
