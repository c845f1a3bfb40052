"""A feed per Liveticker: its entries, newest first.

A ticker's own feed rather than entries in the article feeds: a ticker
posts dozens of entries an hour, which would push every other story out
of the site's feeds.
"""

from django.contrib.syndication.views import Feed

from articles.feeds import PUBLICATION, RssFeed

from .templatetags.live import entry_headline, entry_plain_text
from .views import published_ticker

FEED_ENTRIES = 50


class TickerFeed(Feed):
    feed_type = RssFeed
    language = "de"
    feed_copyright = PUBLICATION

    def get_object(self, request, pk):
        return published_ticker(pk)

    def title(self, ticker):
        return f"{ticker.article.headline} – Liveticker"

    def description(self, ticker):
        return ticker.article.lead

    def link(self, ticker):
        return ticker.article.get_absolute_url()

    def items(self, ticker):
        return ticker.visible_entries().filter(deleted_at__isnull=True)[:FEED_ENTRIES]

    def item_title(self, entry):
        return entry_headline(entry)

    def item_description(self, entry):
        return entry_plain_text(entry)

    def item_link(self, entry):
        return f"{entry.ticker.article.get_absolute_url()}#eintrag-{entry.pk}"

    def item_guid(self, entry):
        return f"urn:newsroom:eintrag:{entry.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.created_at

    def item_updateddate(self, entry):
        return entry.edited_at or entry.created_at

    def item_author_name(self, entry):
        return entry.author_name or None
