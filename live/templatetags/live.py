"""The live app's parts on reader pages: the Eilmeldung banner, the
Liveticker on its article's page and a teaser of a ticker's latest entries."""

import re

from django import template
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles.templatetags.articles import json_ld
from pagecache import dependencies
from pagecache.dependencies import key

from ..cache_keys import BANNER
from ..models import Eilmeldung, Ticker
from ..models.tickers import ENTRIES_PER_PAGE

register = template.Library()

BLOCK_END = re.compile(r"</(p|li|h2|h3|blockquote)>")

# An ad slot after every this many entries, from the inventory's
# "liveticker-1" … slots (each slot shows once per page).
AD_EVERY = 5
AD_SLOTS = 3
# Entries in a ticker's teaser and in its structured data.
TEASER_ENTRIES = 3
STRUCTURED_ENTRIES = 20


@register.inclusion_tag("live/eilmeldung.html")
def eilmeldung():
    """The running Eilmeldung's banner, if any. base.html wraps it in
    {% shared %}: one query per process and content version."""
    dependencies.note(BANNER)
    return {"eilmeldung": Eilmeldung.objects.current()}


def ticker_of(article):
    try:
        return article.ticker
    except Ticker.DoesNotExist:
        return None


def stream_with_ads(entries, start=0):
    """(entry, ad slot key or None) for each entry on a page."""
    rows = []
    for number, entry in enumerate(entries, start=1):
        slot = None
        if number % AD_EVERY == 0 and number < len(entries):
            ad = start + number // AD_EVERY
            slot = f"liveticker-{ad}" if ad <= AD_SLOTS else None
        rows.append((entry, slot))
    return rows


@register.inclusion_tag("live/ticker.html", takes_context=True)
def liveticker(context, article):
    """The ticker of `article`'s page, or nothing for an ordinary article."""
    ticker = ticker_of(article)
    if ticker is None:
        return {"ticker": None}
    entries = list(ticker.visible_entries()[: ENTRIES_PER_PAGE + 1])
    pinned, key_events = ticker.highlights()
    return {
        "request": context.get("request"),
        "article": article,
        "ticker": ticker,
        "key_events": key_events,
        "pinned": pinned,
        "stream": stream_with_ads(entries[:ENTRIES_PER_PAGE]),
        "has_older": len(entries) > ENTRIES_PER_PAGE,
        "json_ld": live_blog_json_ld(context, ticker, entries),
    }


def entry_plain_text(entry):
    """The entry's words without markup; paragraphs stay apart."""
    return " ".join(strip_tags(BLOCK_END.sub(" ", entry.text)).split())


def entry_headline(entry):
    return Truncator(entry_plain_text(entry)).chars(110)


def live_blog_json_ld(context, ticker, entries):
    absolute = context["request"].build_absolute_uri
    page = absolute(ticker.article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": page,
        "url": page,
        "headline": ticker.article.headline,
        "description": ticker.article.lead,
        "coverageStartTime": timezone.localtime(ticker.started_at).isoformat(),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": entry_headline(entry),
                "articleBody": entry_plain_text(entry),
                "datePublished": timezone.localtime(entry.created_at).isoformat(),
                "url": f"{page}#eintrag-{entry.pk}",
                **(
                    {"dateModified": timezone.localtime(entry.edited_at).isoformat()}
                    if entry.edited_at
                    else {}
                ),
            }
            for entry in entries[:STRUCTURED_ENTRIES]
            if not entry.is_deleted
        ],
        "inLanguage": "de",
    }
    if ticker.ended_at:
        data["coverageEndTime"] = timezone.localtime(ticker.ended_at).isoformat()
    return json_ld(data)


@register.inclusion_tag("live/ticker_teaser.html")
def ticker_teaser(ticker, entries=TEASER_ENTRIES):
    """A running ticker's newest entries, for a front's Liveticker block:
    {% for ticker in tickers %}{% ticker_teaser ticker %}{% endfor %}."""
    # Even if the ticker's row was loaded before the page began to render.
    dependencies.note(key("ticker", ticker.pk))
    return {
        "ticker": ticker,
        "entries": ticker.visible_entries().filter(deleted_at__isnull=True)[:entries],
    }


@register.filter
def entry_summary(entry):
    return entry_headline(entry)
