"""Recorded provider answers: our test machines reach no provider.

The oEmbed answers in recorded/ were written by us in the providers'
formats; preview pictures are drawn here. Any other address is
unreachable, as on our servers.
"""

import json
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from unittest import mock
from urllib.error import HTTPError, URLError

from PIL import Image

RECORDED = Path(__file__).parent / "recorded"
OEMBED_ENDPOINTS = {
    "https://www.youtube.com/oembed": "youtube.json",
    "https://vimeo.com/api/oembed.json": "vimeo.json",
    "https://publish.twitter.com/oembed": "x.json",
    "https://social.example.org/api/oembed": "mastodon.json",
    "https://embed.bsky.app/oembed": "bluesky.json",
    "https://www.tiktok.com/oembed": "tiktok.json",
    "https://open.spotify.com/oembed": "spotify.json",
    "https://api.datawrapper.de/v3/oembed": "datawrapper.json",
}


def drawn_picture(color=(30, 90, 140)):
    buffer = BytesIO()
    Image.new("RGB", (480, 270), color).save(buffer, "JPEG")
    return buffer.getvalue()


def thumbnails():
    """Every preview address the recorded answers name."""
    return {
        json.loads((RECORDED / name).read_text())["thumbnail_url"]
        for name in OEMBED_ENDPOINTS.values()
        if "thumbnail_url" in json.loads((RECORDED / name).read_text())
    }


def not_found(url):
    return HTTPError(url, 404, "Not Found", {}, None)


@contextmanager
def provider_answers(**special):
    """Answer requests from the recordings; `special` maps an address's
    start to bytes, an exception to raise, or a recording's file name."""
    pictures = thumbnails()
    asked = []

    def answer(url, limit):
        asked.append(url)
        for start, reply in special.items():
            if url.startswith(start):
                if isinstance(reply, Exception):
                    raise reply
                if isinstance(reply, str):
                    return (RECORDED / reply).read_bytes()
                return reply
        endpoint = url.split("?")[0]
        if endpoint in OEMBED_ENDPOINTS:
            return (RECORDED / OEMBED_ENDPOINTS[endpoint]).read_bytes()
        if url in pictures:
            return drawn_picture()
        raise URLError("Name or service not known")

    with mock.patch("embeds.services.http_get", side_effect=answer):
        yield asked
