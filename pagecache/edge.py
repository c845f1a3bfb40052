"""The page cache's keys at the edge: Varnish drops exactly what a change
retires.

A reader page that goes to a shared cache (the request carries
finishers.SHARED_COPY_HEADER, which deploy/varnish.vcl and
deploy/nginx.conf set) names the keys it depends on in an `xkey` header
(Varnish's xkey module) and the same list in `Surrogate-Key` (Fastly and
other CDNs). When a change touches keys (pagecache.dependencies.touch),
every Varnish in settings.VARNISH_PURGE_URLS gets, once the change has
committed, `PURGE /` with those keys in an `xkey-purge` header. Purged
that exactly, Varnish keeps a page for as long as the page cache does
(Surrogate-Control), where other shared caches keep it for s-maxage.

`purge(keys)` is a plain function of a list of strings, so that it can run
as a background job as it is (the repeat as a job with a delay).
"""

import hashlib
import http.client
import logging
import re
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

KEY_HEADERS = ("xkey", "Surrogate-Key")
PURGE_HEADER = "xkey-purge"
# Varnish refuses a header line over http_resp_hdr_len (8 KB by default)
# and nginx a response head over its proxy buffer (4 KB on some builds):
# the keys stay under this, and purges are sent in pieces of it.
MAX_HEADER_LENGTH = 2000
# Keys as they are when readable and short; anything else is hashed, the
# same way for the page and for the purge.
PLAIN_KEY = re.compile(r"[\w:./*@-]{1,64}", re.ASCII)


def edge_key(name):
    if PLAIN_KEY.fullmatch(name):
        return name
    return "#" + hashlib.blake2b(name.encode(), digest_size=9).hexdigest()


def header_value(keys, row_kinds):
    """The keys of a page as one header value, or None if too many.

    The row keys of the most frequent of `row_kinds` (a page listing many
    articles) give way to that kind's `<kind>:*`, which every change to
    such a row touches too (dependencies.touch), until the rest fits; a
    page whose keys still don't fit is not kept at the edge.
    """
    keys = set(keys)
    while len(value := " ".join(sorted(map(edge_key, keys)))) > MAX_HEADER_LENGTH:
        rows = {}
        for name in keys:
            kind, _, row = name.partition(":")
            if kind in row_kinds and row != "*":
                rows.setdefault(kind, set()).add(name)
        if not rows:
            return None
        kind, names = max(rows.items(), key=lambda item: len(item[1]))
        keys = (keys - names) | {f"{kind}:*"}
    return value


def add_headers(response, keys, row_kinds, seconds, stale_seconds):
    """Name `keys` for the shared cache that keeps `response`.

    A Varnish that gets our purges may keep the page `seconds` instead of
    the s-maxage meant for caches that don't, and serve it
    `stale_seconds` more while it fetches it anew (Surrogate-Control, which
    only surrogates read: deploy/varnish.vcl removes it).
    """
    value = header_value(keys, row_kinds)
    if value is None:
        # The Edge Architecture's word for "not in shared caches", which
        # Varnish's built-in rules and CDNs follow.
        response["Surrogate-Control"] = "no-store"
        return
    for name in KEY_HEADERS:
        response[name] = value
    if settings.VARNISH_PURGE_URLS and seconds > 0:
        response["Surrogate-Control"] = (
            f"max-age={seconds}, stale-while-revalidate={max(stale_seconds, 0)}"
        )


def purge_after_commit(keys):
    """Purge `keys` at the edge once the current transaction commits, and
    once more a moment later.

    A reader's request that was rendering the old content when the change
    committed may bring its page to Varnish after the first purge; the
    second one, VARNISH_PURGE_REPEAT seconds later, drops that too.
    """
    if settings.VARNISH_PURGE_URLS:
        keys = sorted(keys)
        transaction.on_commit(lambda: purge_twice(keys), robust=True)


def purge_twice(keys):
    purge(keys)
    again = threading.Timer(settings.VARNISH_PURGE_REPEAT, purge, [keys])
    again.daemon = True
    again.start()


def purge(keys):
    """Drop every page that shows one of `keys` from every Varnish.

    A Varnish that can't be reached or refuses is logged and skipped: the
    pages it keeps then age out after their s-maxage and grace.
    """
    pieces = list(_pieces(sorted({edge_key(name) for name in keys})))
    for url in settings.VARNISH_PURGE_URLS:
        for piece in pieces:
            try:
                status = _send(url, piece)
            except OSError as error:
                logger.warning("Varnish %s nicht erreichbar: %s", url, error)
                break
            if status != 200:
                logger.warning("Varnish %s lehnt die Löschung ab (%s)", url, status)
                break


def _pieces(names):
    piece = []
    for name in names:
        if piece and len(" ".join([*piece, name])) > MAX_HEADER_LENGTH:
            yield " ".join(piece)
            piece = []
        piece.append(name)
    if piece:
        yield " ".join(piece)


def _send(url, value):
    address = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection
        if address.scheme == "https"
        else http.client.HTTPConnection
    )
    connection = connection_class(
        address.hostname, address.port, timeout=settings.VARNISH_PURGE_TIMEOUT
    )
    try:
        connection.request("PURGE", "/", headers={PURGE_HEADER: value})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
