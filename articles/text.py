"""Text helpers shared by the article models: slugs and the body's HTML."""

import re

import nh3
from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ẞ": "SS",
    }
)

BODY_TAGS = {"p", "h2", "h3", "strong", "em", "a", "ul", "ol", "li", "blockquote"}
BODY_ATTRIBUTES = {"a": {"href"}}
BODY_URL_SCHEMES = {"http", "https", "mailto"}
TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)\b[^>]*>")
# Characters XML 1.0 cannot carry. Text pasted from a word processor may
# hold some (a vertical tab for a line break), and one would break a feed.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def german_slugify(value):
    """A URL slug that spells umlauts and ß out (Südkorea → suedkorea)."""
    return slugify(str(value).translate(GERMAN_TRANSLITERATION))


def free_slug(base, siblings):
    """`base`, or `base-2`, `base-3` …: the first no row of `siblings` (a
    queryset with a `slug` field) has yet."""
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def sanitize_body(html):
    """Keep only the markup the article body allows; everything else goes."""
    cleaned = nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=BODY_URL_SCHEMES,
        link_rel="noopener",
    )
    # The serialiser writes U+00A0 as an entity; keep the character as typed.
    return cleaned.replace("&nbsp;", "\N{NO-BREAK SPACE}")


def xml_text(value):
    """`value` without the control characters that XML 1.0 cannot carry."""
    return NOT_IN_XML.sub("", value)


def split_after_paragraphs(html):
    """Split sanitised body HTML after each top-level paragraph.

    A box placed "after paragraph N" goes between chunk N-1 and chunk N; the
    last chunk holds whatever follows the last paragraph. Relies on the
    sanitiser's output: well-formed, and without void elements.
    """
    chunks, start, depth = [], 0, 0
    for match in TAG.finditer(html):
        closing, name = match.groups()
        depth += -1 if closing else 1
        if closing and depth == 0 and name == "p":
            chunks.append(html[start : match.end()])
            start = match.end()
    chunks.append(html[start:])
    return chunks
