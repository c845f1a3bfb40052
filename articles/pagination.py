"""Paging through article lists without counting or skipping the archive.

Lists newest first go page by page from a cursor, the (published_at, pk)
of the last article shown: "Ältere" asks for what comes after it, "Neuere"
for what comes before the first one. Each page is one indexed range read
however deep in the archive it lies; no page number, no total.

Search results are ranked, not dated, so they keep numbered pages, but
only over the first SEARCH_MAX_RESULTS hits: nobody reads further, and the
count and the offset stay bounded.

Sitemaps need numbered files but no order: they are cut by ranges of the
primary key (KeyRangePaginator).
"""

import math
from datetime import UTC, datetime, timedelta

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Max, Min
from django.http import Http404
from django.utils.functional import cached_property

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OLDER, NEWER = "vor", "nach"
# The query parameters archive_page reads.
ARCHIVE_PARAMETERS = (OLDER, NEWER, "page")


def encode_cursor(article):
    micros = (article.published_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{article.pk}"


def decode_cursor(token):
    """(published_at, pk) from a cursor; Http404 for anything malformed."""
    micros, dash, pk = token.partition("-")
    if not (dash and micros.isdigit() and pk.isdigit()):
        raise Http404("Diese Seite gibt es nicht.")
    try:
        moment = EPOCH + timedelta(microseconds=int(micros))
    except OverflowError:
        raise Http404("Diese Seite gibt es nicht.") from None
    return moment, int(pk)


class ArchivePage:
    """One page of a newest-first list, with the queries for its neighbours."""

    def __init__(self, articles, has_newer, has_older):
        self.object_list = articles
        self.previous_query = (
            f"{NEWER}={encode_cursor(articles[0])}" if has_newer else ""
        )
        self.next_query = f"{OLDER}={encode_cursor(articles[-1])}" if has_older else ""

    def has_previous(self):
        return bool(self.previous_query)

    def has_next(self):
        return bool(self.next_query)


def archive_page(queryset, params, size):
    """The page of `queryset` (newest first) that the request's `params` name.

    Raises Http404 for a malformed cursor, an old-style page number other
    than 1, or a page past the end; returns None if the list is empty.
    """
    page = params.get("page")
    if page not in (None, "", "1"):
        raise Http404("Diese Seite gibt es nicht.")
    if OLDER in params:
        moment, pk = decode_cursor(params[OLDER])
        rows = list(
            queryset.filter(published_at__lte=moment)
            .exclude(published_at=moment, pk__gte=pk)
            .order_by("-published_at", "-pk")[: size + 1]
        )
        if not rows:
            raise Http404("Diese Seite gibt es nicht.")
        return ArchivePage(rows[:size], has_newer=True, has_older=len(rows) > size)
    if NEWER in params:
        moment, pk = decode_cursor(params[NEWER])
        rows = list(
            queryset.filter(published_at__gte=moment)
            .exclude(published_at=moment, pk__lte=pk)
            .order_by("published_at", "pk")[: size + 1]
        )
        if len(rows) > size:
            return ArchivePage(rows[:size][::-1], has_newer=True, has_older=True)
        # Close to the top: the full first page serves the reader better.
    rows = list(queryset.order_by("-published_at", "-pk")[: size + 1])
    if not rows:
        return None
    return ArchivePage(rows[:size], has_newer=False, has_older=len(rows) > size)


class NumberedPage(Page):
    @property
    def previous_query(self):
        return f"page={self.previous_page_number()}"

    @property
    def next_query(self):
        return f"page={self.next_page_number()}"


class BoundedPaginator(Paginator):
    """Numbered pages over the first `max_results` items only."""

    def __init__(self, object_list, per_page, max_results, **kwargs):
        self.max_results = max_results
        self.has_more_results = False
        # Counted without order and without the columns: how many there are
        # depends on neither, and ranking and snippets are the costly part.
        self._unordered = object_list.order_by().values("pk")[: max_results + 1]
        super().__init__(object_list[: max_results + 1], per_page, **kwargs)

    @cached_property
    def count(self):
        counted = self._unordered.count()
        self.has_more_results = counted > self.max_results
        return min(counted, self.max_results)

    def _get_page(self, *args, **kwargs):
        return NumberedPage(*args, **kwargs)


class KeyRangePage:
    def __init__(self, object_list, number):
        self.object_list = object_list
        self.number = number


class KeyRangePaginator:
    """Numbered pages of rows by ranges of their primary key.

    Page n holds the rows whose key falls in the n-th stretch of `per_page`
    keys from the lowest: at most `per_page` rows, found along the primary
    key's index, and the number of pages comes from its two ends; no COUNT,
    no OFFSET. Old pages stay the same as rows are added.
    """

    def __init__(self, queryset, per_page):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def _key_range(self):
        # All rows, not just the listed ones: the bounds are then read
        # straight off the index.
        ends = self.queryset.model._default_manager.aggregate(
            low=Min("pk"), high=Max("pk")
        )
        return ends["low"] or 1, ends["high"] or 0

    @cached_property
    def num_pages(self):
        low, high = self._key_range
        return max(1, math.ceil((high - low + 1) / self.per_page))

    @property
    def page_range(self):
        return range(1, self.num_pages + 1)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("Keine Seitennummer.") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("Diese Seite gibt es nicht.")
        start = self._key_range[0] + (number - 1) * self.per_page
        rows = self.queryset.filter(pk__gte=start, pk__lt=start + self.per_page)
        return KeyRangePage(rows.order_by("pk"), number)
