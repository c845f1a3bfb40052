import re
from functools import lru_cache
from typing import NamedTuple

from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from .counting import issue_tokens
from .delivery import Page, current_snapshot, decide

PLACEHOLDER_START = b"<!--newsroom-ad "
PLACEHOLDER_OPENING = re.compile(rb"<!--newsroom-ad ([^>]*?)-->")
PLACEHOLDER_END = b"<!--/newsroom-ad-->"
ATTRIBUTE = re.compile(rb"(\w+)=(\S*)")


def placeholder(slot_key, page, fallback=""):
    """Markup that fill_slots replaces with the slot's ad or `fallback`."""
    tags = ",".join(str(pk) for pk in sorted(page.tag_ids))
    return (
        f"<!--newsroom-ad slot={slot_key} section={page.section_path} tags={tags}-->"
        f"{fallback}<!--/newsroom-ad-->"
    )


# A cached page's placeholders are the same for every reader: each is read
# once per process.
@lru_cache(maxsize=1024)
def read_placeholder(attributes):
    values = {
        name.decode(): value.decode() for name, value in ATTRIBUTE.findall(attributes)
    }
    page = Page(
        section_path=values.get("section", ""),
        tag_ids=frozenset(int(pk) for pk in values.get("tags", "").split(",") if pk),
    )
    return values.get("slot", ""), page


def fill_slots(request, content, shared_copy):
    """Fill the ad placeholders of a page as it leaves the server.

    A page finisher (pagecache.finishers), not a template tag's work, so
    that a page served from a cache still gets a fresh choice of ads and
    fresh tokens for every reader. A page that goes on into a cache shared
    by many readers (our nginx) leaves the choice to each reader's browser
    instead.
    """
    preview = getattr(request, "ad_preview", None)
    if preview is None and shared_copy:
        return leave_to_browser(content)
    return fill(content, preview)


class Placeholder(NamedTuple):
    """Where a placeholder is in a page, and what it holds."""

    start: int
    end: int
    attributes: bytes
    fallback: bytes


def placeholders(content):
    """[(placeholder, slot key, page)] for each placeholder, and the page
    they are on."""
    found = [
        (spot, *read_placeholder(spot.attributes))
        for spot in find_placeholders(content)
    ]
    page = next((page for _, _, page in found if page.section_path), None)
    return found, page or found[0][2]


def find_placeholders(content):
    """The placeholders in `content` (Placeholder), in order.

    bytes.find skips to each marker many times faster than a regular
    expression walks a page (or a long fallback) to it; the expression only
    reads the opening marker's attributes.
    """
    start = content.find(PLACEHOLDER_START)
    while start != -1:
        opening = PLACEHOLDER_OPENING.match(content, start)
        closing = opening and content.find(PLACEHOLDER_END, opening.end())
        if not opening or closing == -1:
            start = content.find(PLACEHOLDER_START, start + 1)
            continue
        end = closing + len(PLACEHOLDER_END)
        yield Placeholder(
            start, end, opening.group(1), content[opening.end() : closing]
        )
        start = content.find(PLACEHOLDER_START, end)


def replaced(content, found, replacement):
    """`content` with each placeholder of `found` (placeholders()) replaced
    by `replacement(placeholder, slot key)`, without searching the page again."""
    pieces, end = [], 0
    for spot, key, _ in found:
        pieces += [content[end : spot.start], replacement(spot, key)]
        end = spot.end
    pieces.append(content[end:])
    return b"".join(pieces)


def fill(content, preview):
    found, page = placeholders(content)
    if preview is not None:
        return fill_preview(content, found, preview)
    try:
        placements = decide([key for _, key, _ in found], page)
    except (OperationalError, InterfaceError):
        # The campaigns can't be read while the database is down:
        # a page served from the cache then goes out without ads.
        placements = {}
    filled = render_placements(placements)
    content = replaced(content, found, lambda spot, key: filled.pop(key, spot.fallback))
    return add_counting_script(content) if placements else content


def fill_preview(content, found, preview):
    """`content` with the previewed creative in its slot, uncounted, and a
    notice saying so."""
    key = preview.slot.key
    shown = any(found_key == key for _, found_key, _ in found)
    filled = {}
    if shown:
        filled[key] = render_markup(preview.slot, preview.creative, token="", link="")
    content = replaced(content, found, lambda spot, key: filled.pop(key, spot.fallback))
    return add_preview_notice(content, preview, shown)


def leave_to_browser(content):
    """Mark each slot as pending for static/ads/ads.js, which asks ads:fill
    for this reader's ads and counts them as if the server had filled them.

    A slot keeps its fallback, or else holds the space of its box; a slot
    that is not in use stays as it would stay without an ad.
    """
    found, page = placeholders(content)
    try:
        slots = current_snapshot().slots
    except (OperationalError, InterfaceError):
        slots = {}
    pending = {}
    for _, key, _ in found:
        if key in slots and key not in pending:
            pending[key] = slots[key]

    def mark(spot, key):
        fallback = spot.fallback
        slot = pending.pop(key, None)
        if slot is None:
            return fallback
        return render_to_string(
            "ads/pending_slot.html",
            {"slot": slot, "fallback": mark_safe(fallback.decode())},
        ).encode()

    asked = list(pending)
    content = replaced(content, found, mark)
    if not asked:
        return content
    query = urlencode(
        [("slot", key) for key in asked]
        + [
            ("ressort", page.section_path),
            ("themen", ",".join(str(pk) for pk in sorted(page.tag_ids))),
        ]
    )
    return add_counting_script(content, fill_url=f"{reverse('ads:fill')}?{query}")


# Stands in for the token in an ad's stored markup; safe in a URL path and
# in an attribute, and never produced by signing.
TOKEN_MARK = "NEWSROOM-AD-TOKEN"


def render_placements(placements):
    """{slot key: markup} of a page view's counted ads, {slot key: Placement},
    with the page view's tokens."""
    if not placements:
        return {}
    tokens = issue_tokens([(p.creative.id, p.slot.id) for p in placements.values()])
    language, mark = get_language(), TOKEN_MARK.encode()
    return {
        key: placement_markup(p.slot, p.creative, language).replace(
            mark, token.encode()
        )
        for (key, p), token in zip(placements.items(), tokens, strict=True)
    }


@lru_cache(maxsize=512)
def placement_markup(slot, creative, language):
    """A counted ad's markup with TOKEN_MARK for its token, rendered once.

    Slots and creatives are frozen plans whose values are the whole input,
    so a changed creative is a new entry; filling in the token is all that
    is left to do per view.
    """
    link = reverse("ads:click", kwargs={"token": TOKEN_MARK})
    return render_markup(slot, creative, token=TOKEN_MARK, link=link)


def render_markup(slot, creative, token, link):
    template = "ads/sponsored_card.html" if slot.is_native else "ads/ad_slot.html"
    return render_to_string(
        template,
        {"slot": slot, "creative": creative, "token": token, "link": link},
    ).encode()


@lru_cache(maxsize=1)
def counting_script_source():
    return f'src="{static("ads/ads.js")}" data-endpoint="{reverse("ads:beacon")}"'


def add_counting_script(content, fill_url=None):
    asks = f' data-fill="{escape(fill_url)}"' if fill_url else ""
    script = f"<script {counting_script_source()}{asks} defer></script>".encode()
    # The page's end is near the end of its bytes: searched from there.
    end = content.rfind(b"</body>")
    if end == -1:
        return content
    return b"".join((content[:end], script, content[end:]))


def add_preview_notice(content, preview, shown):
    if shown:
        text = gettext(
            "Vorschau von „%(creative)s“ im Platz „%(slot)s“: wird nicht gezählt."
        )
    else:
        text = gettext("Vorschau: Den Platz „%(slot)s“ gibt es auf dieser Seite nicht.")
    notice = render_to_string(
        "ads/preview_notice.html",
        {
            "text": text
            % {"creative": preview.creative.alt_text, "slot": preview.slot.name}
        },
    ).encode()
    return re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + notice, content, count=1)
