"""Start a new content version whenever something on a reader's page changes.

Recommendation lists are rewritten after the commit (articles.related), so
the version moves twice: inside the editor's transaction, so that no reader
gets a cached page once the change is visible, and again after the lists
are stored, so that pages rendered in between are not kept.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.models import (
    Article,
    Author,
    Correction,
    RelatedPin,
    Section,
    Tag,
    TaggedArticle,
    TopicBox,
)

from .models import ContentVersion

SHOWN_ON_PAGES = [
    Article,
    Author,
    Correction,
    RelatedPin,
    Section,
    Tag,
    TaggedArticle,
    TopicBox,
    Article.authors.through,
]


def content_changed(sender, action="post_", **kwargs):
    if not action.startswith("post_"):
        return
    ContentVersion.objects.bump()
    transaction.on_commit(ContentVersion.objects.bump, robust=True)


for model in SHOWN_ON_PAGES:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, sender=model, weak=False)
