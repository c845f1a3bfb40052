"""Whole reader pages from the cache, and the HTTP caching headers for them.

A page is stored under the current ContentVersion, so any change an editor
makes retires every stored page at once, and for no longer than until the
next scheduled publication or unpublication: a page can never outlive the
moment its content would change by the clock alone.

The middleware sits below ads.middleware.AdSlotMiddleware: stored pages
keep their ad placeholders, and every response gets its own ads.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from articles.models import Article

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
# Headers a stored page keeps; the caching ones are set anew on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
NO_LATER_CHANGE = "none"


def next_scheduled_change(now):
    """When the clock alone next changes what readers see, or None."""
    upcoming = Article.objects.published_or_scheduled().aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=now)),
        unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    moments = [moment for moment in upcoming.values() if moment is not None]
    return min(moments, default=None)


def valid_until(version, now):
    """When (a timestamp) pages rendered now under `version` must be gone."""
    key = f"pagecache:next:{version}"
    stored = cache.get(key)
    if stored is None or (stored != NO_LATER_CHANGE and stored <= now.timestamp()):
        moment = next_scheduled_change(now)
        stored = moment.timestamp() if moment else NO_LATER_CHANGE
        cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
    limit = now.timestamp() + settings.PAGE_CACHE_SECONDS
    return limit if stored == NO_LATER_CHANGE else min(limit, stored)


def for_readers_only(request):
    """No signed-in or form-using visitor shares a cached page."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.CSRF_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_reader_page(request):
    try:
        return resolve(request.path_info).view_name in READER_PAGES
    except Resolver404:
        return False


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
    def __init__(self, response, rendered_at, until):
        self.content = response.content
        self.headers = [
            (name, response[name]) for name in KEPT_HEADERS if name in response
        ]
        self.rendered_at = rendered_at.timestamp()
        self.until = until
        digest = hashlib.blake2b(self.content, digest_size=12).hexdigest()
        # Weak: the ads filled in on the way out differ from view to view.
        self.etag = f'W/"{digest}"'

    def response(self):
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response[name] = value
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or not is_reader_page(request):
            return self.get_response(request)
        if not for_readers_only(request):
            response = self.get_response(request)
            # Staff see drafts' effects and admin links; nobody keeps a copy.
            patch_cache_control(response, private=True, no_store=True)
            return response
        now = timezone.now()
        version = ContentVersion.objects.current()
        key = f"pagecache:page:{version}:{request.build_absolute_uri()}"
        page = cache.get(key)
        if page is not None and page.until > now.timestamp():
            response = page.response()
            response["X-Cache"] = "HIT"
        else:
            until = valid_until(version, now)
            response = self.get_response(request)
            if not storable(response) or until <= timezone.now().timestamp():
                return response
            page = CachedPage(response, now, until)
            cache.set(key, page, until - now.timestamp())
            response["X-Cache"] = "MISS"
        return self.finish(request, response, page, now)

    def finish(self, request, response, page, now):
        response["ETag"] = page.etag
        response["Last-Modified"] = http_date(page.rendered_at)
        # A shared cache may keep, and then serve stale, no page past its
        # next scheduled change.
        remaining = max(int(page.until - now.timestamp()), 0)
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
        return get_conditional_response(
            request,
            etag=page.etag,
            last_modified=int(page.rendered_at),
            response=response,
        )
