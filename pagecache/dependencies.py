"""What a cached page shows, and which changes retire it.

A page depends on names ("keys") of two kinds:

- the rows it read: `article:12`, `section:3`, `tag:7`, `author:2`, noted as
  the rows are loaded while the page renders (see pagecache.signals), so a
  related block, a "Mehr zum Thema" box or the navigation need no list of
  their own;
- the lists it shows, named from its address: `list:all` (home, main feeds,
  sitemaps), `list:section:<path>`, `list:tag:<slug>`, `list:author:<slug>`
  and `list:sections` (the navigation on every page). A list key changes
  when an article may enter, leave or move in that list.

A change "touches" keys: it stamps them with the next content version
(pagecache.models). A stored page remembers the version it was rendered
under and is valid while none of its keys carries a later stamp.
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Q

from articles.models import Article, Author, Tag

from .models import ContentVersion, Dependency

ALL_PAGES = "page:*"
ALL_ARTICLES = "list:all"
ALL_SECTIONS = "list:sections"
# A page that reads more articles than this (a sitemap, a long feed) depends
# on every article instead of naming each one.
MAX_ARTICLE_KEYS = 200
ANY_ARTICLE = "article:*"
# Key column width; longer names (deep section paths) are hashed.
MAX_KEY_LENGTH = 200

_reading = ContextVar("pagecache_reading", default=None)
_version = ContextVar("pagecache_version", default=None)


def key(kind, value):
    name = f"{kind}:{value}"
    if len(name) <= MAX_KEY_LENGTH:
        return name
    return f"{kind}:#{hashlib.blake2b(name.encode(), digest_size=16).hexdigest()}"


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
    """Called as rows are loaded: the page being rendered shows them."""
    reading = _reading.get()
    if reading is not None:
        reading.update(keys)


def page_keys(read):
    """The keys to store with a page, from those noted while rendering."""
    articles = {name for name in read if name.startswith("article:")}
    if len(articles) > MAX_ARTICLE_KEYS:
        return sorted((read - articles) | {ANY_ARTICLE})
    return sorted(read)


def section_lists(path):
    """The list keys of a section and of every section above it."""
    parts = path.split("/")
    return [
        key("list:section", "/".join(parts[:end])) for end in range(1, len(parts) + 1)
    ]


def keys_for_address(view_name, kwargs):
    """The list keys a reader page shows, known from its address alone."""
    keys = [ALL_PAGES, ALL_SECTIONS]
    if view_name in ("articles:front_page", "articles:feed", "articles:feed_atom"):
        keys.append(ALL_ARTICLES)
    elif view_name in ("sitemap", "sitemap_section", "news_sitemap"):
        keys.append(ALL_ARTICLES)
    elif view_name in (
        "articles:section_detail",
        "articles:section_feed",
        "articles:section_feed_atom",
    ):
        keys.append(key("list:section", kwargs["section_path"]))
    elif view_name == "articles:article_detail":
        # The address may name a subsection rather than an article.
        keys.append(key("list:section", f"{kwargs['section_path']}/{kwargs['slug']}"))
    elif view_name in (
        "articles:tag_detail",
        "articles:tag_feed",
        "articles:tag_feed_atom",
    ):
        keys.append(key("list:tag", kwargs["slug"]))
    elif view_name == "articles:author_detail":
        keys.append(key("list:author", kwargs["slug"]))
    return keys


def listing_keys(article_ids, section_paths=()):
    """Every list the articles are (or, in `section_paths`, were) part of."""
    keys = {ALL_ARTICLES}
    paths = set(section_paths)
    paths.update(
        Article.objects.filter(pk__in=article_ids).values_list(
            "section__path", flat=True
        )
    )
    for path in paths:
        keys.update(section_lists(path))
    for slug in Tag.objects.filter(
        tagged_articles__content_object__in=article_ids
    ).values_list("slug", flat=True):
        keys.add(key("list:tag", slug))
    for slug in Author.objects.filter(articles__in=article_ids).values_list(
        "slug", flat=True
    ):
        keys.add(key("list:author", slug))
    return keys


def touch(keys):
    """Retire every stored page that depends on one of `keys`.

    Called inside the writer's transaction: a reader that rendered the old
    content read an older version, and the new stamps become visible
    together with the change.
    """
    if not keys:
        return
    with transaction.atomic():
        number = ContentVersion.objects.bump()
        Dependency.objects.bulk_create(
            [Dependency(name=name, stamp=number) for name in sorted(set(keys))],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["stamp"],
        )


def retire_every_page(version_before=0):
    """Retire every stored page, on every server.

    `version_before` is the content version of a database since replaced
    (by a restore, whose dump may carry lower numbers): pages rendered
    under it are retired too.
    """
    with transaction.atomic():
        ContentVersion.objects.raise_to(version_before)
        touch([ALL_PAGES])


def article_changed(article_ids, lists=True, section_paths=()):
    keys = {key("article", pk) for pk in article_ids} | {ANY_ARTICLE}
    if lists:
        keys |= listing_keys(article_ids, section_paths)
    touch(keys)


def next_scheduled_change():
    """When the clock next publishes or ends an article, or None.

    Counted from where apply_scheduled_changes left off, so a moment that
    has passed unnoticed is still due.
    """
    since = ContentVersion.objects.scheduled_until()
    scheduled = Article.objects.marked_published()
    # Two ordered reads: each walks its own index from `since`.
    moments = [
        scheduled.filter(**{f"{field}__gt": since})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
        for field in ("published_at", "unpublish_at")
    ]
    return min((moment for moment in moments if moment is not None), default=None)


def apply_scheduled_changes(now):
    """Treat articles whose publication or end came by the clock as changed.

    Runs once per moment across all processes: the version row is locked
    and remembers how far the clock has been applied.
    """
    with transaction.atomic():
        since = ContentVersion.objects.lock_scheduled_until()
        if since >= now:
            return
        due = list(
            Article.objects.marked_published()
            .filter(
                Q(published_at__gt=since, published_at__lte=now)
                | Q(unpublish_at__gt=since, unpublish_at__lte=now)
            )
            .values_list("pk", flat=True)
        )
        if due:
            article_changed(due)
        ContentVersion.objects.filter(pk=1).update(scheduled_until=now)
