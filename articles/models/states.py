"""What state an article is in, who may move it, and the one definition of
"published"."""

from django.db.models import Q, TextChoices
from django.utils import timezone

MAX_HEADLINE_LENGTH_TO_PUBLISH = 110


class ArticleStatus(TextChoices):
    DRAFT = "draft", "Entwurf"
    REVIEW = "review", "In Prüfung"
    PUBLISHED = "published", "Veröffentlicht"
    WITHDRAWN = "withdrawn", "Zurückgezogen"


class ArticleKind(TextChoices):
    """What kind of story an article is; its page shows it so."""

    TEXT = "text", "Artikel"
    # Its pictures come from the galleries app, which shows them one by one.
    GALLERY = "gallery", "Bilderstrecke"


# The states anyone who writes may choose; the rest are the desk's.
WRITER_STATUSES = (ArticleStatus.DRAFT, ArticleStatus.REVIEW)


def may_publish(user):
    """Whether `user` publishes, schedules and withdraws (the desk)."""
    return user.has_perm("articles.publish_article")


def may_recover_deleted(user):
    """Bringing a deleted article back is for those who may delete one."""
    return user.has_perm("articles.add_article") and user.has_perm(
        "articles.delete_article"
    )


class StaleEditError(Exception):
    """Someone else saved the article since this copy was loaded."""


def published_condition(via=""):
    """The one definition of "a reader may see it", for articles reached
    through `via` (a relation path such as "target__") or directly."""
    now = timezone.now()
    return (
        Q(**{f"{via}unpublish_at__isnull": True}) | Q(**{f"{via}unpublish_at__gt": now})
    ) & Q(**{f"{via}status": ArticleStatus.PUBLISHED, f"{via}published_at__lte": now})
