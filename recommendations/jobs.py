"""Keeping the stored lists current, in the worker rather than the request."""

import threading

from django.db import transaction

from jobs import job

from . import lists

_pending = threading.local()


@job("Empfehlungslisten neu berechnen")
def refresh_lists(article_ids):
    """Index these articles again and recompute their lists and those of
    the articles they enter or leave; running it twice changes nothing."""
    lists.refresh(article_ids)


def refresh_later(article_id):
    """Recompute for this article once the current transaction commits.

    The admin saves an article, then its tags and pins, all in one
    transaction; waiting for the commit sees all of it and asks once.
    """
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(article_id)
    transaction.on_commit(_enqueue_pending, robust=True)


def _enqueue_pending():
    ids = getattr(_pending, "ids", set())
    _pending.ids = set()
    if ids:
        refresh_lists.enqueue(sorted(ids))
