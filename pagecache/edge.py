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

The purge is a job (pagecache.jobs) on a queue of its own, `edge`, whose
worker polls often enough for a change to reach readers within a second
(docs/SCALING.md); a Varnish that can't be reached fails the job, which
runs again later.
"""

import hashlib
import http.client
import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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
    once more a moment later: two jobs for the worker of the edge queue.

    Asked after the commit, so that a change touching keys several times
    (a row, its tags, its pictures) is one purge of all of them. A reader's
    request that was rendering the old content when the change committed
    may bring its page to Varnish after the first purge; the second one,
    VARNISH_PURGE_REPEAT seconds later, drops that too.
    """
    if not settings.VARNISH_PURGE_URLS:
        return
    # The transaction's purge, if a touch before this one has asked for it
    # (Django forgets it with a savepoint rolled back, and after the end).
    waiting = transaction.get_connection().run_on_commit
    purges = next((f for _, f, _ in waiting if isinstance(f, Purges)), None)
    if purges is None:
        purges = Purges(keys)
        transaction.on_commit(purges, robust=True)
    purges.keys.update(keys)


class Purges:
    """The keys a transaction touched, left to the edge worker on commit."""

    def __init__(self, keys):
        self.keys = set(keys)

    def __call__(self):
        from .jobs import purge_at_edge  # the job module imports this one

        keys = sorted(self.keys)
        purge_at_edge.enqueue(keys)
        again = timezone.now() + timedelta(seconds=settings.VARNISH_PURGE_REPEAT)
        purge_at_edge.using(run_after=again).enqueue(keys)


class PurgeFailed(Exception):
    pass


def purge(keys):
    """Drop every page that shows one of `keys` from every Varnish.

    A Varnish that can't be reached or refuses is logged and the others are
    still purged; then PurgeFailed names it, so that the job runs again.
    """
    pieces = list(_pieces(sorted({edge_key(name) for name in keys})))
    failed = []
    for url in settings.VARNISH_PURGE_URLS:
        for piece in pieces:
            try:
                status = _send(url, piece)
            except OSError as error:
                logger.warning("Varnish %s nicht erreichbar: %s", url, error)
                failed.append(url)
                break
            if status != 200:
                logger.warning("Varnish %s lehnt die Löschung ab (%s)", url, status)
                failed.append(url)
                break
    if failed:
        raise PurgeFailed(f"Nicht gelöscht in {', '.join(failed)}")


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
