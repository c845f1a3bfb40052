"""Fetching an embed's title and preview from its provider.

`fetch_preview(pk)` is a plain function on an id; the worker runs it as the
job `embeds.jobs.fetch_embed_preview`, enqueued after the commit that made
the row. It never raises for a provider's failure: the row then says, in
German, what went wrong, and readers get the placeholder without a picture.
"""

import ipaddress
import json
import re
import socket
from io import BytesIO
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from images.uploads import validate_image

from .blocks import links_in
from .models import Embed
from .providers import recognise

TIMEOUT_SECONDS = 5
MAX_ANSWER_BYTES = 2 * 1024 * 1024
MAX_PREVIEW_BYTES = 5 * 1024 * 1024
# Bluesky's oEmbed answer names the post by its DID, which its frame needs.
BLUESKY_POST = re.compile(
    r'data-bluesky-uri="at://(did:[\w:.-]+)/app\.bsky\.feed\.post/(\w+)"'
)


class ProviderError(Exception):
    """A provider's answer we can't use; the message is for the editor."""


def ensure_public(url):
    """Refuse an address on our own or a private network.

    A provider's answer names the preview picture, and a redirect may lead
    anywhere: without this, a crafted answer could make our server fetch
    from the machines beside it (the admin, the database's neighbours).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProviderError("Die Adresse des Anbieters ist ungültig.")
    try:
        addresses = socket.getaddrinfo(parts.hostname, parts.port or 443)
    except OSError as error:
        raise URLError(error) from error
    for *_, sockaddr in addresses:
        if not ipaddress.ip_address(sockaddr[0].split("%")[0]).is_global:
            raise ProviderError(
                "Die Adresse führt in kein öffentliches Netz; "
                "von dort laden wir nichts."
            )


class PublicRedirects(HTTPRedirectHandler):
    def redirect_request(self, request, fp, code, msg, headers, newurl):
        ensure_public(newurl)
        return super().redirect_request(request, fp, code, msg, headers, newurl)


def http_get(url, limit):
    """The body of a GET of `url`, at most `limit` bytes, from a public host.

    Tests replace this with recorded answers: our servers reach no provider.
    """
    ensure_public(url)
    request = Request(url, headers={"User-Agent": "Newsroom-Einbettungen/1.0"})
    opener = build_opener(PublicRedirects)
    with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        body = response.read(limit + 1)
    if len(body) > limit:
        raise ProviderError("Die Antwort des Anbieters war zu groß.")
    return body


def _get(url, limit, name):
    try:
        return http_get(url, limit)
    except HTTPError as error:
        if error.code in (401, 403, 404, 410):
            raise ProviderError(
                f"{name} kennt diesen Beitrag nicht oder zeigt ihn nicht "
                f"öffentlich (Antwort {error.code}). Bitte den Link prüfen."
            ) from error
        raise ProviderError(
            f"{name} hat mit einem Fehler geantwortet (Antwort {error.code}). "
            "Später erneut versuchen."
        ) from error
    except (TimeoutError, URLError, OSError) as error:
        raise ProviderError(
            f"{name} war nicht erreichbar. Später mit „Vorschau neu laden“ "
            "erneut versuchen."
        ) from error


def _preview_file(address, name):
    if not address.startswith("https://"):
        raise ProviderError(f"{name} hat kein Vorschaubild über HTTPS angeboten.")
    upload = ContentFile(_get(address, MAX_PREVIEW_BYTES, name), name="vorschau.jpg")
    try:
        validate_image(upload)
    except ValidationError as error:
        raise ProviderError(
            f"Das Vorschaubild von {name} ist kein lesbares Bild."
        ) from error
    return upload


def fetch_preview(pk):
    """Ask the provider of embed `pk` for its title and preview, and store
    them (the picture on our storage) or the reason there are none."""
    embed = Embed.objects.filter(pk=pk).first()
    link = embed and recognise(embed.url)
    if link is None:
        return
    name = embed.provider_name
    if not link.oembed_url:
        embed.mark_failed(
            f"{name} gibt Vorschauen nur mit einem Zugangsschlüssel heraus; "
            "Leser sehen den Platzhalter ohne Bild."
        )
        return
    try:
        try:
            answer = json.load(BytesIO(_get(link.oembed_url, MAX_ANSWER_BYTES, name)))
        except ValueError as error:
            raise ProviderError(
                f"{name} hat keine lesbare Vorschau geschickt."
            ) from error
        if not isinstance(answer, dict):
            raise ProviderError(f"{name} hat keine lesbare Vorschau geschickt.")
        preview = None
        if thumbnail := answer.get("thumbnail_url"):
            preview = _preview_file(str(thumbnail), name)
    except ProviderError as error:
        embed.mark_failed(str(error))
        return
    frame_url = link.confirmed_frame_url
    if post := BLUESKY_POST.search(str(answer.get("html", ""))):
        frame_url = (
            f"https://embed.bsky.app/embed/{post[1]}/app.bsky.feed.post/{post[2]}"
        )
    if preview is not None:
        embed.preview.save(preview.name, preview, save=False)
    embed.mark_ready(
        str(answer.get("title") or ""),
        str(answer.get("author_name") or ""),
        frame_url,
    )


def fetch_after_commit(embed):
    """Leave the fetch to the worker once the row is committed: the provider
    may take seconds to answer, the journalist's save should not wait."""
    from .jobs import fetch_embed_preview  # the job module imports this one

    transaction.on_commit(lambda: fetch_embed_preview.enqueue(embed.pk))


def remember_embeds(text):
    """Store a row for each embed `text` links to that has none yet, and
    fetch their previews once the caller's transaction has committed."""
    for _, link in links_in(text):
        embed, created = Embed.for_link(link)
        if created:
            fetch_after_commit(embed)
