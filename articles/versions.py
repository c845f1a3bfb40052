"""What a version of an article holds besides its own fields.

Restoring an older version brings back everything it followed: tags, boxes
and corrections, and whatever other apps attach to an article and add here
(pinned recommendations, for example).
"""

import reversion

from .models.articles import Article

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
