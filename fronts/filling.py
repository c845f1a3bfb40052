"""Which articles each block of a front version shows.

Placed articles first, in their order, as long as readers may see them: a
withdrawn or unpublished one leaves no hole, the block fills itself. The
rest are the newest of the block's source. An article stands once on a
front, where it was placed by hand if it was; a block that allows repeats
neither takes articles from others nor keeps them out.

A Liveticker block shows one running ticker (live's `{% ticker_teaser %}`):
the one of its placed article, else the newest running one, else nothing.
Teaser labels come from live too: "Live" while the article's ticker runs,
"Eilmeldung" while an Eilmeldung points at it. Starting or ending either
touches the article's row or the banner key every page notes (base.html),
so the fronts showing them are retired.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef

from articles.models import Article, Correction, CorrectionKind
from live.models import Eilmeldung, Ticker
from pagecache.dependencies import every_row, key, note

from .models import BlockKind, TeaserLabel

EVERY_ARTICLE = "list:all"


@dataclass
class Teaser:
    article: Article
    placed_label: str = ""

    @property
    def label(self):
        """ "Live", "Eilmeldung" or "Update": as placed, else the first that
        holds: a running Eilmeldung on the article, its running ticker, an
        update after publication."""
        if self.placed_label:
            return TeaserLabel(self.placed_label).reader_text
        for holds, label in (
            (self.article.has_eilmeldung, TeaserLabel.BREAKING),
            (self.article.has_running_ticker, TeaserLabel.LIVE),
            (self.article.has_update, TeaserLabel.UPDATE),
        ):
            if holds:
                return label.reader_text
        return ""


def teaser_articles():
    """Published articles with what a teaser shows, in one query."""
    this_article = OuterRef("pk")
    return (
        Article.objects.published()
        .for_cards()
        .annotate(
            has_update=Exists(
                Correction.objects.filter(
                    article=this_article, kind=CorrectionKind.UPDATE
                )
            ),
            has_eilmeldung=Exists(
                Eilmeldung.objects.running().filter(article=this_article)
            ),
            has_running_ticker=Exists(
                Ticker.objects.running().filter(article=this_article)
            ),
        )
    )


def source(block):
    """The block's newest-first articles, noting the list it reads so that
    the page is retired when an article enters or leaves it."""
    articles = teaser_articles().order_by("-published_at", "-pk")
    if block.kind == BlockKind.SECTION:
        note(key("list:section", block.section.path))
        return articles.in_section(block.section)
    if block.kind == BlockKind.TOPIC:
        note(key("list:tag", block.tag.slug))
        return articles.tagged(block.tag)
    note(EVERY_ARTICLE)
    return articles


def fill(version):
    """[(block, [Teaser])] for every block of `version`, in order.

    Queries: the blocks, the placed articles, and one per block that shows
    articles and has room left after its placed ones.
    """
    blocks = list(version.blocks.select_related("section", "tag", "ad_slot"))
    placed = {}
    for article in _placed_articles(version):
        placed.setdefault(article.placed_in, []).append(article)
    # Placed articles are kept for their blocks: no block before fills with them.
    taken = {
        article.pk
        for block in blocks
        if not block.allows_repeats
        for article in placed.get(block.pk, ())
    }
    filled = []
    for block in blocks:
        teasers = []
        if block.shows_articles:
            teasers = _teasers(block, placed.get(block.pk, []), taken)
        elif block.kind == BlockKind.TICKER:
            block.ticker = running_ticker(placed.get(block.pk, []))
        filled.append((block, teasers))
    return filled


def running_ticker(placed):
    """The running ticker of the first placed article that has one, else
    the newest running ticker, else None (the block shows nothing)."""
    running = Ticker.objects.running()
    for article in placed:
        # Its end touches the article's row, noted as the article loaded.
        ticker = article.has_running_ticker and running.filter(article=article).first()
        if ticker:
            return ticker
    # Any ticker starting or ending, or an article published or withdrawn
    # (a ticker's article among them), may change which one this is.
    note(every_row("ticker"), EVERY_ARTICLE)
    return running.order_by("-started_at", "-pk").first()


def _placed_articles(version):
    return (
        teaser_articles()
        .filter(front_placements__version=version)
        .annotate(
            placed_in=F("front_placements__block_id"),
            placed_label=F("front_placements__label"),
        )
        .order_by("front_placements__position", "front_placements__pk")
    )


def _teasers(block, placed, taken):
    teasers, shown = [], set()
    for article in placed:
        if article.pk not in shown and len(teasers) < block.count:
            teasers.append(Teaser(article, article.placed_label))
            shown.add(article.pk)
    room = block.count - len(teasers)
    if room > 0:
        leave_out = shown if block.allows_repeats else taken | shown
        teasers += [
            Teaser(article)
            for article in source(block).exclude(pk__in=leave_out)[:room]
        ]
    if not block.allows_repeats:
        taken.update(teaser.article.pk for teaser in teasers)
    return teasers
