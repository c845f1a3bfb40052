"""Parts of a page stored apart from it, each retired by its own keys.

An article's body, its structured data, its related block or the
navigation look the same on every render of a page and often on many
pages; only a few parts differ per address. While the page cache renders a
page under a content version (pagecache.dependencies.collecting), such a
part is rendered once, stored in the cache with the keys of what it read,
and shown again until one of those keys is touched or PAGE_CACHE_SECONDS
have passed. A change thus re-renders exactly the parts that show it; the
page that uses a stored part depends on the part's keys as if it had
rendered it. Outside the page cache (staff, previews) parts are rendered
as usual.

What a view reads before its template renders (the article an address
names, with the rows the page targets by) is kept the same way
(`stored_value`): a miss of the page cache then reads nothing from the
database that a change has not touched.
"""

import hashlib
import time
import uuid
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache

from . import dependencies
from .models import ContentVersion

# Each process keeps the parts it last used, so that a page's dozen parts
# are not each fetched and unpickled from the shared cache on every render;
# a copy is used under the same rules as the shared one. Bounded (parts
# are up to some 20 KB, so a few MB a process), and emptied when full.
PARTS_KEPT_IN_PROCESS = 300
# New whenever the shared cache has been cleared, which thereby drops the
# copies in every process as well.
GENERATION_KEY = "pagecache:fragments:generation"

# key -> (generation, Fragment)
_in_process = {}


@dataclass(frozen=True)
class Fragment:
    # A part's markup, or a value a view read.
    content: object
    keys: tuple
    # The content version this content is known to be current at.
    version: int
    rendered_at: float

    def seconds_left(self):
        return settings.PAGE_CACHE_SECONDS - (time.time() - self.rendered_at)


def rows_shown(value):
    """The row keys of `value`: a tracked row, or a list of them."""
    values = value if isinstance(value, list | tuple) else [value]
    return [name for one in values if (name := dependencies.row_key(one))]


def cache_key(request, name, vary):
    # Absolute addresses in a part (structured data) name the host asked.
    site = request.build_absolute_uri("/") if request is not None else ""
    values = "\x1f".join(
        " ".join(rows_shown(value)) or str(value) for value in (site, *vary)
    )
    digest = hashlib.blake2b(values.encode(), digest_size=16).hexdigest()
    return f"pagecache:fragment:{name}:{digest}"


def current(stored, version):
    """`stored`, brought up to `version` if none of its keys changed since
    it was rendered; None if one did."""
    if stored.version >= version:
        return stored
    # One statement, and only for the first render of each part after a
    # change somewhere on the site.
    _, newest = ContentVersion.objects.stamps(list(stored.keys))
    if newest is not None and newest > stored.version:
        return None
    return replace(stored, version=version)


def fragment(request, name, vary, render):
    """The markup of the part `name` for the values `vary`: stored, or
    `render()`-ed and stored.

    Rows among `vary` (the page's article, its section, its tags) are
    shown by the part: they were loaded before it, yet their changes must
    retire it.
    """
    return kept(request, name, vary, render)


def stored_value(name, vary, load):
    """What `load()` returns for the values `vary` (which name it, such as
    an address's parts), stored with the keys of the rows it read and
    retired by them as a part is; the same for every host.

    If `load()` raises (nothing there), nothing is stored. Every look-up
    gets a copy of its own (the cache pickles what it keeps), so a page
    may add to it while it renders, as prefetches do.
    """
    return kept(None, name, vary, load)


def generation(request):
    """The shared cache's generation, read once per request."""
    try:
        return request._pagecache_generation
    except AttributeError:
        pass
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY)
    request._pagecache_generation = value
    return value


def usable(stored, version):
    # Content that changes without a touch ("Meistgelesen") is at most as
    # old in a part as it is in a stored page.
    if stored is None or stored.seconds_left() <= 0:
        return None
    return current(stored, version)


def kept(request, name, vary, produce):
    version = dependencies.rendering_version()
    if version is None:
        return produce()
    key = cache_key(request, name, vary)
    # Markup only, not a value a view reads (stored_value, without a
    # request), which the page that gets it adds to.
    in_process = request is not None
    copy = fresh = None
    if in_process:
        now_at = generation(request)
        copy = _in_process.get(key, (None, None))
        copy = copy[1] if copy[0] == now_at else None
        fresh = usable(copy, version)
    stored = copy
    if fresh is None:
        stored = cache.get(key)
        # The shared copy of a copy found stale is just as stale.
        if copy is None or stored is None or stored.rendered_at != copy.rendered_at:
            fresh = usable(stored, version)
    if fresh is None:
        with dependencies.collecting(version) as read:
            content = produce()
        read.add(dependencies.ALL_PAGES)
        read.update(name for value in vary for name in rows_shown(value))
        keys = tuple(dependencies.page_keys(read))
        fresh = Fragment(content, keys, version, time.time())
    if fresh is not stored:
        cache.set(key, fresh, max(int(fresh.seconds_left()), 1))
    if in_process and fresh is not copy:
        if len(_in_process) >= PARTS_KEPT_IN_PROCESS:
            _in_process.clear()
        _in_process[key] = (now_at, fresh)
    dependencies.note(*fresh.keys)
    return fresh.content
