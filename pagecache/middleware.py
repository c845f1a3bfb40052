"""Whole reader pages from the cache, and the HTTP caching headers for them.

A page is stored with the content version it was rendered under and the
keys of everything it shows (pagecache.dependencies); it is served while
none of those keys has changed since. One SQL statement per view checks
that, and also tells whether the clock has published or ended an article
since the last look, which then counts as a change to that article.

The middleware sits below ads.middleware.AdSlotMiddleware: stored pages
keep their ad placeholders, and every response gets its own ads.
"""

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from ads.middleware import PLACEHOLDER_START
from articles.beacons import SHARED_COPY_HEADER
from readership.tokens import VIEW_TOKEN_PLACEHOLDER

from . import dependencies
from .models import ContentVersion

READER_PAGES = frozenset(
    {
        "articles:front_page",
        "articles:article_detail",
        "articles:section_detail",
        "articles:tag_detail",
        "articles:author_detail",
        "articles:feed",
        "articles:feed_atom",
        "articles:tag_feed",
        "articles:tag_feed_atom",
        "articles:section_feed",
        "articles:section_feed_atom",
        "sitemap",
        "sitemap_section",
        "news_sitemap",
    }
)
# The query parameters reader pages read (archive cursors, sitemap files);
# any other, but for the trackers' below, keeps a page out of the cache, so
# that made-up addresses can't fill it.
PAGE_PARAMETERS = frozenset({"vor", "nach", "page", "p"})
# Shared links carry these; the page is the same without them.
TRACKING_PARAMETERS = re.compile(r"utm_\w+|fbclid|gclid|msclkid|mc_cid|mc_eid")
# What the middlewares above fill in per view (ads, view tokens).
PER_VIEW_MARKS = (PLACEHOLDER_START, VIEW_TOKEN_PLACEHOLDER.encode())
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
    """The resolved address of a page readers share, or None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match if match.view_name in READER_PAGES else None


def cache_key(request):
    """Where the page is stored, or None if its address is not one to keep."""
    kept = []
    for name, values in request.GET.lists():
        if TRACKING_PARAMETERS.fullmatch(name):
            continue
        if name not in PAGE_PARAMETERS:
            return None
        kept += [(name, value) for value in values]
    address = f"{request.build_absolute_uri(request.path)}?{urlencode(sorted(kept))}"
    return f"pagecache:page:{hashlib.blake2b(address.encode()).hexdigest()}"


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
        self.has_per_view_parts = any(mark in self.content for mark in PER_VIEW_MARKS)
        digest = hashlib.blake2b(self.content, digest_size=12).hexdigest()
        # Weak: the ads filled in on the way out differ from view to view.
        self.etag = f'W/"{digest}"'

    def is_current(self, newest_stamp, now):
        return (newest_stamp is None or newest_stamp <= self.version) and (
            now.timestamp() - self.rendered_at < settings.PAGE_CACHE_SECONDS
        )

    def response(self):
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response[name] = value
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = settings.PAGE_CACHE_SECONDS > 0 and reader_page(request)
        if not match:
            return self.get_response(request)
        if not for_readers_only(request):
            response = self.get_response(request)
            # Staff see drafts' effects and admin links; nobody keeps a copy.
            patch_cache_control(response, private=True, no_store=True)
            return response
        now = timezone.now()
        key = cache_key(request)
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
            read.update(dependencies.keys_for_address(match.view_name, match.kwargs))
            page = CachedPage(response, now, version, dependencies.page_keys(read))
            cache.set(key, page, settings.PAGE_CACHE_SECONDS + KEPT_FOR_OUTAGES)
            response["X-Cache"] = "MISS"
        return self.finish(request, response, page, now, next_change)

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

    def finish(self, request, response, page, now, next_change):
        # A copy that gets its own ad and view tokens on the way out must not
        # be revalidated: a 304 would have the browser show spent tokens
        # again. Copies for a shared cache leave those to the browser.
        if (
            request.headers.get(SHARED_COPY_HEADER) == "1"
            or not page.has_per_view_parts
        ):
            response["ETag"] = page.etag
            response["Last-Modified"] = http_date(page.rendered_at)
        # A shared cache can't ask us whether a page is still current: it may
        # keep, and then serve stale, no page past the next scheduled change.
        remaining = settings.PAGE_CACHE_SECONDS
        if next_change is not None:
            remaining = max(int(next_change - now.timestamp()), 0)
        shared_seconds = min(settings.PAGE_SHARED_MAX_AGE, remaining)
        stale_seconds = min(
            settings.PAGE_STALE_WHILE_REVALIDATE, remaining - shared_seconds
        )
        if "Cache-Control" in response:
            del response["Cache-Control"]
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=shared_seconds,
            stale_while_revalidate=stale_seconds,
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
