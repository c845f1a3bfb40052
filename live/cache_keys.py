"""What the page cache needs to know about Eilmeldungen and Livetickers.

- The banner: every page that shows the banner's place notes `eilmeldung`
  (the `{% eilmeldung %}` tag in base.html). Starting or ending one touches
  it, and the clock touches it when one ends at its set time: the pages in
  the cache are retired and render again with (or without) the banner.
- A ticker: every page that loads a ticker's row (its article page, its
  older pages, its poll answers, its feed, a teaser on a front) notes
  `ticker:<id>`; an entry's change touches exactly that.
"""

from django.db.models import Q

from pagecache import dependencies
from pagecache.dependencies import key

from .models import Eilmeldung, Entry, Ticker

BANNER = "eilmeldung"


def banner_keys(eilmeldung):
    return {BANNER}


def ticker_keys(ticker):
    # The article page says "Live" or "Der Ticker ist beendet".
    return {key("ticker", ticker.pk), key("article", ticker.article_id)}


def entry_keys(entry):
    return {key("ticker", entry.ticker_id)}


def next_banner_change(since):
    """When a running Eilmeldung reaches its set end after `since`."""
    return (
        Eilmeldung.objects.filter(ended_at__isnull=True, ends_at__gt=since)
        .order_by("ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )


def banner_changed_by_the_clock(since, now):
    ended = Eilmeldung.objects.filter(
        Q(ended_at__isnull=True, ends_at__gt=since, ends_at__lte=now)
    )
    return {BANNER} if ended.exists() else set()


def register():
    dependencies.track(Ticker, "ticker")
    dependencies.touch_on_change(Eilmeldung, banner_keys)
    dependencies.touch_on_change(Ticker, ticker_keys)
    dependencies.touch_on_change(Entry, entry_keys)
    dependencies.register_clock(next_banner_change, banner_changed_by_the_clock)
