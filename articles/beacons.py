"""What the counting beacons check before they count.

Every article page shown carries its own signed view token, which counts
once; and each client address may send only so many beacons a minute (the
ad beacon in ads.counting shares the limit's machinery). Nothing about the
reader is stored: the address only feeds a keyed hash that lives in the
cache for one window. Behind our proxy the address comes from
X-Forwarded-For (DJANGO_BEHIND_PROXY), as for sign-ins.

A page our nginx keeps for a second goes to every reader in that second;
tokens in it would count for the first reader only. On such a shared copy
the page carries no token and its scripts fetch one per reader
(ads:fill, articles:view_token).
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from accounts.throttling import client_ip

VIEW_TOKEN_SALT = "articles.view"
# A view counts after the page has loaded, or once a prerendered page is
# opened; a tab opened in the morning and read at noon still counts.
VIEW_TOKEN_MAX_AGE = 6 * 3600
# Stands in the cached page where ViewTokenMiddleware puts a fresh token.
VIEW_TOKEN_PLACEHOLDER = "newsroom-view-token:"
RATE_LIMIT_WINDOW = 60
# deploy/nginx.conf sets it on every request it may answer from its cache.
SHARED_COPY_HEADER = "X-Newsroom-Shared-Copy"


def is_rate_limited(request, scope, limit, window=RATE_LIMIT_WINDOW):
    """More than `limit` requests for `scope` from this address in the window."""
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


def html_page_with(response, marker):
    """`response` is an HTML page whose content holds `marker` (bytes)."""
    return (
        not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and marker in response.content
    )


def replace_content(response, content):
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))


def is_shared_copy(request, response):
    """`response` is about to go into a cache that hands it to many readers.

    Only a page that lets shared caches keep it (s-maxage) is one; staff
    pages, previews and pages served while the database is down are not,
    and keep their server-filled tokens.
    """
    cache_control = response.get("Cache-Control", "")
    return (
        request.headers.get(SHARED_COPY_HEADER) == "1"
        and "s-maxage" in cache_control
        and not any(
            word in cache_control for word in ("private", "no-store", "no-cache")
        )
    )


def issue_view_token(article_id):
    return signing.dumps([article_id, secrets.token_urlsafe(12)], salt=VIEW_TOKEN_SALT)


def spend_view_token(token):
    """The article id of a valid token not used before, else None.

    A token is marked as used in the cache for as long as it is valid; with
    several server processes, configure a shared cache (Redis) so that a
    token used on one is used for all.
    """
    try:
        article_id, nonce = signing.loads(
            token, salt=VIEW_TOKEN_SALT, max_age=VIEW_TOKEN_MAX_AGE
        )
        article_id, nonce = int(article_id), str(nonce)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not cache.add(f"views:spent:{nonce}", 1, VIEW_TOKEN_MAX_AGE):
        return None
    return article_id
