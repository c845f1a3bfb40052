"""Embed blocks in a text: a paragraph that holds nothing but a link to a
provider's post becomes the post's placeholder when the text is shown.

The stored text keeps the paragraph as it was pasted (the sanitiser's
output), so feeds, search and old versions see a plain link.
"""

import html
import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .models import Embed, Placeholder
from .providers import recognise

# A paragraph of one link (as the editor makes of a pasted address) or of
# the bare address as typed. The sanitiser writes `href` first and quotes
# with ", so the pattern reads its output, not any HTML.
LINK_PARAGRAPH = re.compile(
    r"<p>\s*(?:<a href=\"(?P<href>[^\"]+)\"[^>]*>[^<]*</a>"
    r"|(?P<bare>https?://[^\s<]+))\s*</p>"
)


def links_in(text):
    """(match, recognised link) for each embed paragraph of sanitised `text`."""
    found = []
    for match in LINK_PARAGRAPH.finditer(text or ""):
        link = recognise(html.unescape(match["href"] or match["bare"]))
        if link is not None:
            found.append((match, link))
    return found


def stored_embeds(text):
    """The stored rows of `text`'s embeds by address: one query, none for a
    text without embeds."""
    links = [link for _, link in links_in(text)]
    return Embed.objects.for_links(links) if links else {}


def with_placeholders(text, stored=None):
    """`text` with each embed paragraph replaced by its placeholder.

    `stored`, from stored_embeds() of a whole text, serves its parts shown
    one by one; without it the rows are read here.
    """
    found = links_in(text)
    if not found:
        return mark_safe(text)
    if stored is None:
        stored = Embed.objects.for_links([link for _, link in found])
    parts, start = [], 0
    for match, link in found:
        parts.append(text[start : match.start()])
        parts.append(
            render_to_string(
                "embeds/placeholder.html",
                {"embed": Placeholder(link, stored.get(link.url))},
            )
        )
        start = match.end()
    parts.append(text[start:])
    return mark_safe("".join(parts))
