"""What a version of an article holds besides its own fields, and what
restoring one leaves behind.

Restoring an older version brings back everything it followed: tags and
boxes, and whatever other apps attach to an article and add here (pinned
recommendations, for example). Corrections and updates are not part of a
version: they are a public record, added to and never taken back by a
restore, so a restore neither removes one added since nor brings back one
deleted since (or its earlier wording).
"""

import reversion
from django.utils import timezone
from reversion.models import Version

from .models.articles import Article
from .models.redirects import ArticleRedirect

_followed = []


def include_in_article_versions(model, related_name):
    """Keep `model`'s rows, reached from an article by `related_name`, in
    every version of the article, so that restoring brings them back.

    Apps with rows attached to articles call this from AppConfig.ready().
    """
    reversion.register(model)
    _followed.append(related_name)
    # django-reversion reads what a model's versions follow once, when it is
    # registered, and has no way to add to it: Article is registered again.
    if reversion.is_registered(Article):
        reversion.unregister(Article)
    reversion.register(Article, follow=_followed)


def record_restore(article, version, left_path):
    """Finish restoring `article` to `version`, after the admin saved it.

    The address the article had before keeps answering, and the history
    names the restore and the version it brought back.
    """
    # django-reversion writes the old rows before the article's own save
    # runs, so that save no longer sees the address being left.
    ArticleRedirect.record_move(article, left_path)
    restored_from = timezone.localtime(version.revision.date_created)
    restore = Version.objects.get_for_object(article).select_related("revision")[0]
    restore.revision.comment = (
        f"Version vom {restored_from:%d.%m.%Y, %H:%M} Uhr wiederhergestellt"
    )
    restore.revision.save(update_fields=["comment"])
