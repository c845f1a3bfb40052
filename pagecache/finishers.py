"""What every page view gets of its own, filled in as the page leaves.

A stored page is shared by many readers, but some of its parts must differ
from view to view (single-use tokens, say). The template writes a marker
where such a part goes, and the app that owns the marker registers a
finisher in its AppConfig.ready():

    finishers.register(b"<!--newsroom-ad ", fill_slots)

PageCacheMiddleware calls `fill_slots(request, content, shared_copy)` on
every HTML page that holds the marker, stored or not, and sends what it
returns. A page with per-view parts is never revalidated by the browser
(a 304 would show spent tokens again).

A page our nginx keeps for a second goes to every reader in that second;
tokens in it would count for the first reader only. On such a shared copy
(`shared_copy` is True) a finisher leaves the work to each reader's browser.
"""

# deploy/nginx.conf sets it on every request it may answer from its cache.
SHARED_COPY_HEADER = "X-Newsroom-Shared-Copy"
# The same in the WSGI environ: read there, request.headers would parse
# every header of every page view for it.
SHARED_COPY_META = "HTTP_" + SHARED_COPY_HEADER.upper().replace("-", "_")

# marker (bytes) -> finish(request, content, shared_copy) -> content
_finishers = {}


def register(marker, finish):
    """Have `finish` fill in the part that `marker` (bytes) stands for."""
    _finishers[marker] = finish


def has_per_view_parts(content):
    return any(marker in content for marker in _finishers)


def asks_for_shared_copy(request):
    """The request comes from a cache that shares its answer (our nginx)."""
    return request.META.get(SHARED_COPY_META) == "1"


def is_shared_copy(request, response):
    """`response` is about to go into a cache that hands it to many readers.

    Only a page that lets shared caches keep it (s-maxage) is one; staff
    pages, previews and pages served while the database is down are not,
    and keep their server-filled parts.
    """
    cache_control = response.get("Cache-Control", "")
    return (
        asks_for_shared_copy(request)
        and "s-maxage" in cache_control
        and not any(
            word in cache_control for word in ("private", "no-store", "no-cache")
        )
    )


def finish(request, response):
    """`response` with the per-view parts of its page filled in."""
    if response.streaming or not response.get("Content-Type", "").startswith(
        "text/html"
    ):
        return response
    content = response.content
    parts = [finisher for marker, finisher in _finishers.items() if marker in content]
    if not parts:
        return response
    shared_copy = is_shared_copy(request, response)
    for finisher in parts:
        content = finisher(request, content, shared_copy)
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
    return response
