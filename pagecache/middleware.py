"""Whole reader pages from the cache, and the HTTP caching headers for them.

Only the pages of views marked with cache_page_with_dependencies
(pagecache.decorators) are stored. A page is stored with the content
version it was rendered under and the keys of everything it shows
(pagecache.dependencies); it is served while none of those keys has changed
since. One SQL statement per view checks that, and also tells whether the
clock has changed content since the last look (a scheduled publication),
which then counts as a change to it.

Every response, stored or not, then gets its per-view parts (single-use
tokens, say) from the finishers the apps registered (pagecache.finishers).
"""

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from . import dependencies, edge, finishers
from .decorators import stored_pages
from .models import ContentVersion

# Shared links carry these; the page is the same without them.
TRACKING_PARAMETERS = re.compile(r"utm_\w+|fbclid|gclid|msclkid|mc_cid|mc_eid")
# Headers a stored page keeps; the caching ones are set anew on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
NO_LATER_CHANGE = "none"
# How long past its freshness a page is kept, to be served while the
# database cannot be reached.
KEPT_FOR_OUTAGES = 3600


def next_scheduled_change(version, refresh=False):
    """When (a timestamp) the clock next changes what readers see, or None.

    Kept in the cache while the content version stays the same.
    """
    key = f"pagecache:next:{version}"
    stored = None if refresh else cache.get(key)
    if stored is None:
        moment = dependencies.next_scheduled_change()
        stored = moment.timestamp() if moment else NO_LATER_CHANGE
        cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
    return None if stored == NO_LATER_CHANGE else stored


def for_readers_only(request):
    """No signed-in or form-using visitor shares a cached page."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.CSRF_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def reader_page(request):
    """The keyword arguments of the address of a page readers share and how
    its view wants it stored, or None."""
    return resolved(get_resolver(get_urlconf()), request.path_info)


# Resolving an address cost about a tenth of a page from the cache; the
# answer depends on nothing but the URLconf (whose resolver is new after a
# change) and the path. Bounded, so that made-up addresses can't grow it.
@lru_cache(maxsize=1024)
def resolved(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    stored = stored_pages(match.func)
    return (match.kwargs, stored) if stored else None


def cache_key(request, parameters):
    """Where the page is stored, or None if its address is not one to keep.

    Any query parameter but the view's own and the trackers' keeps a page
    out of the cache, so that made-up addresses can't fill it.
    """
    kept = []
    # Most readers' addresses have no query: its parsing is then skipped.
    query = request.GET.lists() if request.META.get("QUERY_STRING") else ()
    for name, values in query:
        if TRACKING_PARAMETERS.fullmatch(name):
            continue
        if name not in parameters:
            return None
        kept += [(name, value) for value in values]
    # Not build_absolute_uri(): the address is only hashed and needs none
    # of its escaping. get_host() checks ALLOWED_HOSTS all the same.
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(sorted(kept))}"
    return f"pagecache:page:{hashlib.blake2b(address.encode()).hexdigest()}"


@lru_cache(maxsize=1024)
def last_modified(timestamp):
    """The Last-Modified header of a page rendered at `timestamp`; the same
    for every view of a stored page."""
    return http_date(timestamp)


def storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cookie" not in response.get("Vary", "")
        and not any(
            word in response.get("Cache-Control", "")
            for word in ("private", "no-store", "no-cache")
        )
    )


class CachedPage:
    def __init__(self, response, rendered_at, version, keys):
        self.content = response.content
        self.headers = [
            (name, response[name]) for name in KEPT_HEADERS if name in response
        ]
        self.rendered_at = rendered_at.timestamp()
        self.version = version
        self.keys = keys
        self.has_per_view_parts = finishers.has_per_view_parts(self.content)
        digest = hashlib.blake2b(self.content, digest_size=12).hexdigest()
        # Weak: the parts filled in on the way out differ from view to view.
        self.etag = f'W/"{digest}"'

    def is_current(self, newest_stamp, now):
        return (newest_stamp is None or newest_stamp <= self.version) and (
            now.timestamp() - self.rendered_at < settings.PAGE_CACHE_SECONDS
        )

    def response(self):
        response = HttpResponse(self.content)
        # CommonMiddleware, which sets it on rendered pages, sits below the
        # cache. Without it an HTTP/1.1 server sends the page in chunks (one
        # more write for the end); the finishers keep it up to date.
        response["Content-Length"] = str(len(self.content))
        for name, value in self.headers:
            response[name] = value
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return finishers.finish(request, self.respond(request))

    def respond(self, request):
        found = settings.PAGE_CACHE_SECONDS > 0 and reader_page(request)
        if not found:
            return self.get_response(request)
        url_kwargs, stored = found
        if not for_readers_only(request):
            response = self.get_response(request)
            # Staff see drafts' effects and admin links; nobody keeps a copy.
            patch_cache_control(response, private=True, no_store=True)
            return response
        now = timezone.now()
        key = cache_key(request, stored.parameters)
        page = cache.get(key) if key else None
        try:
            version, newest_stamp, next_change = self.check(page, now)
        except (OperationalError, InterfaceError):
            if page is None:
                raise  # the 503 page (operations.views.server_error)
            return self.while_database_is_down(page)
        if page is not None and page.is_current(newest_stamp, now):
            response = page.response()
            response["X-Cache"] = "HIT"
        else:
            with dependencies.collecting(version) as read:
                response = self.get_response(request)
            if key is None or not storable(response):
                return response
            read.update([dependencies.ALL_PAGES, *stored.list_keys(url_kwargs)])
            page = CachedPage(response, now, version, dependencies.page_keys(read))
            cache.set(key, page, settings.PAGE_CACHE_SECONDS + KEPT_FOR_OUTAGES)
            response["X-Cache"] = "MISS"
        return self.with_caching_headers(request, response, page, now, next_change)

    def check(self, page, now):
        """The content version, the newest stamp among the page's keys and
        the next scheduled change, after applying any that has come."""
        keys = page.keys if page is not None else []
        version, newest_stamp = ContentVersion.objects.stamps(keys)
        next_change = next_scheduled_change(version)
        if next_change is not None and next_change <= now.timestamp():
            dependencies.apply_scheduled_changes(now)
            version, newest_stamp = ContentVersion.objects.stamps(keys)
            next_change = next_scheduled_change(version, refresh=True)
        return version, newest_stamp, next_change

    def while_database_is_down(self, page):
        """The last stored copy: whether it is current can't be asked."""
        response = page.response()
        response["X-Cache"] = "STALE"
        patch_cache_control(response, no_store=True)
        return response

    def with_caching_headers(self, request, response, page, now, next_change):
        # A copy that gets its own tokens on the way out must not be
        # revalidated: a 304 would have the browser show spent tokens
        # again. Copies for a shared cache leave those to the browser.
        shared_copy = finishers.asks_for_shared_copy(request)
        if shared_copy or not page.has_per_view_parts:
            response["ETag"] = page.etag
            response["Last-Modified"] = last_modified(page.rendered_at)
        # A shared cache can't ask us whether a page is still current: it may
        # keep, and then serve stale, no page past the next scheduled change.
        remaining = settings.PAGE_CACHE_SECONDS
        if next_change is not None:
            remaining = max(int(next_change - now.timestamp()), 0)
        shared_seconds = min(settings.PAGE_SHARED_MAX_AGE, remaining)
        stale_seconds = min(
            settings.PAGE_STALE_WHILE_REVALIDATE, remaining - shared_seconds
        )
        if shared_copy:
            # Varnish, which gets our purges, may keep the page for as long
            # as the page cache does.
            purged_for = min(
                settings.PAGE_CACHE_SECONDS - int(now.timestamp() - page.rendered_at),
                remaining,
            )
            edge.add_headers(
                response,
                page.keys,
                dependencies.tracked_kinds(),
                purged_for,
                min(settings.PAGE_STALE_WHILE_REVALIDATE, remaining - purged_for),
            )
        # Written whole, not patched: whatever the view said is replaced,
        # and parsing it cost a page from the cache more than writing it.
        response["Cache-Control"] = (
            f"public, max-age=0, s-maxage={shared_seconds}, "
            f"stale-while-revalidate={stale_seconds}"
        )
        if len(settings.LANGUAGES) == 1 and "Vary" in response:
            # One language only: LocaleMiddleware's Accept-Language would just
            # split a CDN's cache.
            kept = [
                header.strip()
                for header in response["Vary"].split(",")
                if header.strip().lower() != "accept-language"
            ]
            del response["Vary"]
            if kept:
                response["Vary"] = ", ".join(kept)
        if "ETag" not in response:
            return response
        return get_conditional_response(
            request,
            etag=page.etag,
            last_modified=int(page.rendered_at),
            response=response,
        )
