"""What a cached page shows, and which changes retire it.

A page depends on names ("keys") of two kinds:

- the rows it read, `<kind>:<pk>`: an app names the models whose rows are
  content with `track(model, kind)`, and every such row loaded while a
  page renders is noted, so a block, a box or the navigation needs no list
  of its own;
- the lists it shows, named from its address by the view's mark
  (pagecache.decorators), such as `list:tag:<slug>`. A list key changes
  when an entry may enter, leave or move in that list.

A change "touches" keys: it stamps them with the next content version
(pagecache.models). A stored page remembers the version it was rendered
under and is valid while none of its keys carries a later stamp. The app
that owns a model decides which keys its changes touch, with `touch()` or
`touch_on_change()`; content that changes by the clock alone (a scheduled
publication) is registered with `register_clock()`.
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from . import edge
from .models import ContentVersion, Dependency

ALL_PAGES = "page:*"
# A page that reads more rows of one kind than this (a sitemap, a long
# feed) depends on every row of that kind (`<kind>:*`) instead of naming
# each one.
MAX_ROW_KEYS = 200
# Key column width; longer names (deep section paths) are hashed.
MAX_KEY_LENGTH = 200

_reading = ContextVar("pagecache_reading", default=None)
_version = ContextVar("pagecache_version", default=None)

# model -> kind of its row keys (track)
_kinds = {}
# model -> [keys_for(instance)] (touch_on_change)
_changes = {}
# [(next_change, changes)] (register_clock)
_clocks = []


def key(kind, value):
    name = f"{kind}:{value}"
    if len(name) <= MAX_KEY_LENGTH:
        return name
    return f"{kind}:#{hashlib.blake2b(name.encode(), digest_size=16).hexdigest()}"


def every_row(kind):
    return f"{kind}:*"


def tracked_kinds():
    """The kinds of row keys (`<kind>:<pk>`) that have a `<kind>:*`."""
    return set(_kinds.values())


@contextmanager
def collecting(version=None):
    """Note the keys of everything read inside the block.

    `version` is the content version the block renders under, if known:
    parts shared by many pages are kept for as long as it stays the same
    (pagecache.templatetags.pagecache).
    """
    keys = set()
    reading, versioned = _reading.set(keys), _version.set(version)
    try:
        yield keys
    finally:
        _reading.reset(reading)
        _version.reset(versioned)


def rendering_version():
    return _version.get()


def note(*keys):
    """The page being rendered shows `keys`."""
    reading = _reading.get()
    if reading is not None:
        reading.update(keys)


def read_once(load):
    """`load` as a callable that runs it once and returns its result on
    every call, noting each time the keys of what it read: every part of a
    page that shows the result depends on it (pagecache.fragments), not
    just the first that asked."""
    loaded = []

    def result():
        if not loaded:
            with collecting(rendering_version()) as read:
                loaded.append(load())
            loaded.append(frozenset(read))
        note(*loaded[1])
        return loaded[0]

    return result


def track(model, kind):
    """Note `<kind>:<pk>` for every row of `model` a page loads."""
    _kinds[model] = kind
    post_init.connect(_row_loaded, sender=model, weak=False)


def row_key(value):
    """`<kind>:<pk>` if `value` is a row of a tracked model, else None."""
    kind = _kinds.get(type(value))
    if kind is None or value.pk is None:
        return None
    return key(kind, value.pk)


def _row_loaded(sender, instance, **kwargs):
    name = row_key(instance)
    if name is not None:
        note(name)


def touch_on_change(model, keys_for):
    """Touch `keys_for(instance)` whenever a row of `model` is saved or
    deleted (but not while fixtures are loaded)."""
    rules = _changes.setdefault(model, [])
    if keys_for not in rules:
        rules.append(keys_for)
    post_save.connect(_row_changed, sender=model, weak=False)
    post_delete.connect(_row_changed, sender=model, weak=False)


def _row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(
            {
                name
                for keys_for in _changes.get(sender, ())
                for name in keys_for(instance)
            }
        )


def page_keys(read):
    """The keys to store with a page, from those noted while rendering."""
    keys = set(read)
    for kind in set(_kinds.values()):
        rows = {name for name in keys if name.startswith(f"{kind}:")}
        if len(rows) > MAX_ROW_KEYS:
            keys = (keys - rows) | {every_row(kind)}
    return sorted(keys)


def touch(keys):
    """Retire every stored page that depends on one of `keys`.

    Called inside the writer's transaction: a reader that rendered the old
    content read an older version, and the new stamps become visible
    together with the change. Shared caches at the edge drop the pages
    once it has committed (pagecache.edge).
    """
    keys = set(keys)
    if not keys:
        return
    # Pages that read too many rows of a kind to name them depend on all.
    keys.update(
        every_row(kind)
        for kind in set(_kinds.values())
        if any(name.startswith(f"{kind}:") for name in keys)
    )
    with transaction.atomic():
        number = ContentVersion.objects.bump()
        Dependency.objects.bulk_create(
            [Dependency(name=name, stamp=number) for name in sorted(keys)],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["stamp"],
        )
    edge.purge_after_commit(keys)


def retire_every_page(version_before=0):
    """Retire every stored page, on every server.

    `version_before` is the content version of a database since replaced
    (by a restore, whose dump may carry lower numbers): pages rendered
    under it are retired too.
    """
    with transaction.atomic():
        ContentVersion.objects.raise_to(version_before)
        touch([ALL_PAGES])


def register_clock(next_change, changes):
    """Content that changes without a save, at moments known in advance.

    `next_change(since)` is the first such moment after `since`, or None;
    `changes(since, now)` the keys of what changed in (since, now].
    """
    _clocks.append((next_change, changes))


def next_scheduled_change():
    """When the clock next changes what readers see, or None.

    Counted from where apply_scheduled_changes left off, so a moment that
    has passed unnoticed is still due.
    """
    since = ContentVersion.objects.scheduled_until()
    moments = [next_change(since) for next_change, _ in _clocks]
    return min((moment for moment in moments if moment is not None), default=None)


def apply_scheduled_changes(now):
    """Touch what the clock has changed since the last time.

    Runs once per moment across all processes: the version row is locked
    and remembers how far the clock has been applied.
    """
    with transaction.atomic():
        since = ContentVersion.objects.lock_scheduled_until()
        if since >= now:
            return
        touch({name for _, changes in _clocks for name in changes(since, now)})
        ContentVersion.objects.filter(pk=1).update(scheduled_until=now)
