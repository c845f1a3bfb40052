"""The providers whose links become embeds, and how each link is read.

A link is recognised by its host and path alone, with no request: each
provider knows where its oEmbed answer lives (for the title and preview,
fetched by the server when the journalist adds the link) and which address
the reader's browser loads into a frame after the click. Frames only, no
provider scripts: the page's CSP then needs `frame-src` for the provider's
origin and nothing else.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.db import models


class Provider(models.TextChoices):
    YOUTUBE = "youtube", "YouTube"
    VIMEO = "vimeo", "Vimeo"
    X = "x", "X"
    INSTAGRAM = "instagram", "Instagram"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    TIKTOK = "tiktok", "TikTok"
    SPOTIFY = "spotify", "Spotify"
    DATAWRAPPER = "datawrapper", "Datawrapper"


@dataclass(frozen=True)
class Link:
    """A recognised link: what to store, ask and load for it."""

    provider: Provider
    url: str
    # Where the oEmbed answer is asked for; empty where the provider has
    # none open to us (Instagram's needs a Meta app token).
    oembed_url: str
    # What the reader's browser loads after the click; empty while only
    # the oEmbed answer can tell it (Bluesky names the post by its DID, and
    # only the answer shows a host to be a Mastodon server).
    frame_url: str

    @property
    def confirmed_frame_url(self):
        """The frame address once the provider's oEmbed answer came."""
        if self.provider == Provider.MASTODON:
            return f"{self.url}/embed"
        return self.frame_url


ID = r"[A-Za-z0-9_-]+"
# Mastodon runs on many servers; a server's post address looks the same
# everywhere, so the path decides (and the oEmbed answer confirms).
MASTODON_POST = re.compile(rf"/@({ID}(?:@[\w.-]+)?)/(\d+)/?")


def oembed(endpoint, url, **extra):
    return f"{endpoint}?{urlencode({'url': url, 'format': 'json', **extra})}"


def _youtube(host, path, query):
    video = None
    if host in ("youtube.com", "m.youtube.com"):
        if path == "/watch":
            video = (query.get("v") or [None])[0]
        elif match := re.fullmatch(rf"/(?:shorts|embed|live)/({ID})/?", path):
            video = match[1]
    elif host == "youtu.be":
        if match := re.fullmatch(rf"/({ID})/?", path):
            video = match[1]
    if not video or not re.fullmatch(ID, video):
        return None
    url = f"https://www.youtube.com/watch?v={video}"
    return Link(
        Provider.YOUTUBE,
        url,
        oembed("https://www.youtube.com/oembed", url),
        # The privacy-enhanced player: no cookie until the reader plays.
        f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1",
    )


def _vimeo(host, path, query):
    match = host == "vimeo.com" and re.fullmatch(r"/(\d+)/?", path)
    if not match:
        return None
    url = f"https://vimeo.com/{match[1]}"
    return Link(
        Provider.VIMEO,
        url,
        oembed("https://vimeo.com/api/oembed.json", url),
        f"https://player.vimeo.com/video/{match[1]}?dnt=1&autoplay=1",
    )


def _x(host, path, query):
    match = host in ("x.com", "twitter.com", "mobile.twitter.com") and re.fullmatch(
        rf"/({ID})/status/(\d+)/?", path
    )
    if not match:
        return None
    url = f"https://x.com/{match[1]}/status/{match[2]}"
    return Link(
        Provider.X,
        url,
        oembed("https://publish.twitter.com/oembed", url, dnt="true"),
        f"https://platform.twitter.com/embed/Tweet.html?id={match[2]}&dnt=true",
    )


def _instagram(host, path, query):
    match = host == "instagram.com" and re.fullmatch(rf"/(p|reel)/({ID})/?", path)
    if not match:
        return None
    url = f"https://www.instagram.com/{match[1]}/{match[2]}/"
    return Link(Provider.INSTAGRAM, url, "", f"{url}embed/")


def _mastodon(host, path, query):
    match = MASTODON_POST.fullmatch(path)
    if not match or "." not in host:
        return None
    url = f"https://{host}/@{match[1]}/{match[2]}"
    # Any host may carry such a path: its frame is offered only once the
    # host's oEmbed answer has shown it to be a Mastodon server.
    return Link(Provider.MASTODON, url, oembed(f"https://{host}/api/oembed", url), "")


def _bluesky(host, path, query):
    match = host == "bsky.app" and re.fullmatch(
        r"/profile/([\w.:-]+)/post/([a-z0-9]+)/?", path
    )
    if not match:
        return None
    author, post = match.groups()
    url = f"https://bsky.app/profile/{author}/post/{post}"
    frame = ""
    if author.startswith("did:"):
        frame = f"https://embed.bsky.app/embed/{author}/app.bsky.feed.post/{post}"
    return Link(
        Provider.BLUESKY, url, oembed("https://embed.bsky.app/oembed", url), frame
    )


def _tiktok(host, path, query):
    match = host == "tiktok.com" and re.fullmatch(r"/@([\w.-]+)/video/(\d+)/?", path)
    if not match:
        return None
    url = f"https://www.tiktok.com/@{match[1]}/video/{match[2]}"
    return Link(
        Provider.TIKTOK,
        url,
        oembed("https://www.tiktok.com/oembed", url),
        f"https://www.tiktok.com/embed/v2/{match[2]}",
    )


def _spotify(host, path, query):
    match = host == "open.spotify.com" and re.fullmatch(
        rf"(?:/intl-[a-z-]+)?/(track|album|playlist|episode|show)/({ID})/?", path
    )
    if not match:
        return None
    url = f"https://open.spotify.com/{match[1]}/{match[2]}"
    return Link(
        Provider.SPOTIFY,
        url,
        oembed("https://open.spotify.com/oembed", url),
        f"https://open.spotify.com/embed/{match[1]}/{match[2]}",
    )


def _datawrapper(host, path, query):
    chart = None
    if host == "datawrapper.dwcdn.net":
        chart = re.fullmatch(r"/([A-Za-z0-9]{5})(?:/\d+)?/?", path)
    elif host == "app.datawrapper.de":
        chart = re.fullmatch(r"/(?:chart|map|table)/([A-Za-z0-9]{5})(?:/.*)?", path)
    if not chart:
        return None
    url = f"https://datawrapper.dwcdn.net/{chart[1]}/"
    return Link(
        Provider.DATAWRAPPER,
        url,
        oembed("https://api.datawrapper.de/v3/oembed", url),
        url,
    )


# Mastodon last: its pattern matches any host.
READERS = (
    _youtube,
    _vimeo,
    _x,
    _instagram,
    _bluesky,
    _tiktok,
    _spotify,
    _datawrapper,
    _mastodon,
)
# Hosts that are a provider's but whose other addresses (a channel, a
# profile) can't be embedded: a link to one is worth a word to the editor.
PROVIDER_HOSTS = {
    "youtube.com": Provider.YOUTUBE,
    "youtu.be": Provider.YOUTUBE,
    "vimeo.com": Provider.VIMEO,
    "x.com": Provider.X,
    "twitter.com": Provider.X,
    "instagram.com": Provider.INSTAGRAM,
    "bsky.app": Provider.BLUESKY,
    "tiktok.com": Provider.TIKTOK,
    "open.spotify.com": Provider.SPOTIFY,
    "datawrapper.dwcdn.net": Provider.DATAWRAPPER,
    "app.datawrapper.de": Provider.DATAWRAPPER,
}


def _parts(url):
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    return host, parts.path or "/", parse_qs(parts.query)


def recognise(url):
    """The `Link` for an address one of the providers lets us embed, or None."""
    parts = _parts(url)
    if parts is None:
        return None
    for read in READERS:
        if link := read(*parts):
            return link
    return None


def provider_of_host(url):
    """The provider whose host `url` is on, whatever its path, or None."""
    parts = _parts(url)
    return PROVIDER_HOSTS.get(parts[0]) if parts else None


def frame_origin(frame_url):
    """`https://host` of a frame address: what CSP's frame-src must allow."""
    parts = urlsplit(frame_url)
    return f"https://{parts.hostname}" if parts.scheme == "https" else ""
