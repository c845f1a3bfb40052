"""Reader addresses of a Liveticker: its changes for the page's script,
its older entries for readers without one, and its feed."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from articles.models import Article
from pagecache.decorators import cache_page_with_dependencies

from .models import Ticker
from .models.tickers import ENTRIES_PER_PAGE
from .templatetags.live import stream_with_ads


def published_ticker(pk):
    # The article's row is loaded too: withdrawing it retires these pages.
    return get_object_or_404(
        Ticker.objects.select_related("article", "article__section").filter(
            article__in=Article.objects.published()
        ),
        pk=pk,
    )


@cache_page_with_dependencies(parameters=("seit",))
@require_safe
def changes(request, pk):
    """What changed after revision `seit`, as the ticker's script asks.

    Every reader who is up to date asks with the same revision, so the page
    cache renders one answer per change and nginx's micro-cache hands it
    to all of them.
    """
    ticker = published_ticker(pk)
    try:
        since = int(request.GET.get("seit", ""))
    except ValueError:
        since = -1
    if not 0 <= since <= ticker.revision:
        return JsonResponse(
            {"error": "Unbekannter Stand: bitte die Seite neu laden."}, status=400
        )
    changed, more = ticker.changes_since(since)
    pinned, key_events = ticker.highlights()
    return JsonResponse(
        {
            "revision": ticker.revision,
            "running": ticker.is_running,
            "reload": more,
            "entries": [
                {
                    "id": entry.pk,
                    "html": render_to_string(
                        "live/entry.html", {"entry": entry}, request
                    ),
                }
                for entry in changed
            ],
            "pinned": render_to_string("live/pinned.html", {"pinned": pinned}, request),
            "key_events": render_to_string(
                "live/key_events.html", {"key_events": key_events}, request
            ),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@cache_page_with_dependencies
@require_safe
def older_entries(request, pk, page):
    """Entries page by page, newest first: the ticker without JavaScript."""
    ticker = published_ticker(pk)
    start = (page - 1) * ENTRIES_PER_PAGE
    entries = list(ticker.visible_entries()[start : start + ENTRIES_PER_PAGE + 1])
    if page < 2 or not entries:
        raise Http404("Diese Seite des Tickers gibt es nicht.")
    return render(
        request,
        "live/older_entries.html",
        {
            "ticker": ticker,
            "article": ticker.article,
            "page": page,
            "stream": stream_with_ads(entries[:ENTRIES_PER_PAGE]),
            "has_older": len(entries) > ENTRIES_PER_PAGE,
        },
    )
