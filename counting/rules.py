"""Whether a request may be counted, and if not, why.

Behind our proxy the client address comes from X-Forwarded-For
(DJANGO_BEHIND_PROXY), for counting and for sign-ins alike.
"""

import hashlib
import hmac
from functools import lru_cache

from crawleruseragents import is_crawler
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# Why a request is not counted; the ads store these as their reasons.
PREFETCH = "prefetch"
BOT = "bot"
STAFF = "staff"
RATE_LIMITED = "rate_limited"
RATE_LIMIT_WINDOW = 60
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


def client_ip(request):
    """The address a request came from.

    Behind our own proxy every request comes from the proxy, which appends
    the address it saw to X-Forwarded-For: the last entry is the one a
    client cannot forge. Anywhere else the header is not trusted at all.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR")


@lru_cache(maxsize=4096)
def is_bot(user_agent):
    """A missing user agent or one on the crawler-user-agents list."""
    return not user_agent.strip() or is_crawler(user_agent)


def is_prefetch(request):
    """Fetched ahead for a click or page that may never come (prefetch, prerender)."""
    return any(
        "prefetch" in request.META.get(header, "").lower()
        or "preview" in request.META.get(header, "").lower()
        for header in PREFETCH_HEADERS
    )


def is_staff(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


def is_rate_limited(request, scope, limit, window=RATE_LIMIT_WINDOW):
    """More than `limit` requests for `scope` from this address in the window.

    The address only feeds a keyed hash that lives in the cache for one
    window; it is stored nowhere else.
    """
    current = int(timezone.now().timestamp()) // window
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{client_ip(request)}|{current}".encode(),
        hashlib.sha256,
    ).hexdigest()[:24]
    key = f"rate:{scope}:{digest}"
    if cache.add(key, 1, window):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:
        # Expired between the two calls: a new window has begun.
        return False


def why_not_counted(request, scope, limit):
    """PREFETCH, BOT, STAFF or RATE_LIMITED, or None if the request counts.

    Only requests that would count use up the address's limit.
    """
    if is_prefetch(request):
        return PREFETCH
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return BOT
    if is_staff(request):
        return STAFF
    if is_rate_limited(request, scope, limit):
        return RATE_LIMITED
    return None
