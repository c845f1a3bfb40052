"""Counting article views, the "Meistgelesen" list, and the views report."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from counting.counters import add_one, hour_bucket

from .models import DailyArticleViews, HourlyArticleViews, MostReadArticle

# Hourly counts serve "Meistgelesen" for the last 24 hours; a second day
# is kept so that the window never starts in a deleted hour.
HOURLY_VIEWS_KEPT = timedelta(hours=48)
# "Meistgelesen" shows five; ten are kept in case some go offline.
MOST_READ_SHOWN = 5
MOST_READ_KEPT = 10
MOST_READ_REFRESH = timedelta(minutes=1)
GROUPINGS = {
    "artikel": ("Artikel", "per_article"),
    "ressort": ("Ressort", "per_section"),
    "autor": ("Autor/in", "per_author"),
}


def count_view(article, at=None):
    """Add one view of `article` to its counters for the day and the hour."""
    at = at or timezone.now()
    with transaction.atomic():
        add_one(
            DailyArticleViews,
            "views",
            {"article": article.pk, "day": timezone.localdate(at)},
        )
        add_one(
            HourlyArticleViews,
            "views",
            {"article": article.pk, "hour": hour_bucket(at)},
        )
    refresh_most_read(at)


def refresh_most_read(now=None, force=False):
    """Store the "Meistgelesen" list anew, unless it is less than a minute old."""
    now = now or timezone.now()
    if (
        not force
        and MostReadArticle.objects.filter(
            computed_at__gt=now - MOST_READ_REFRESH
        ).exists()
    ):
        return
    ranking = most_read(MOST_READ_KEPT, now=now)
    try:
        with transaction.atomic():
            HourlyArticleViews.objects.older_than(now - HOURLY_VIEWS_KEPT).delete()
            MostReadArticle.objects.all().delete()
            MostReadArticle.objects.bulk_create(
                MostReadArticle(
                    position=position,
                    article=article,
                    views=article.recent_views,
                    computed_at=now,
                )
                for position, article in enumerate(ranking)
            )
    except IntegrityError:
        # Another request stored it at the same moment.
        pass


def stored_most_read(count=MOST_READ_SHOWN):
    """The stored "Meistgelesen" list, most read first, each with
    `recent_views`; only what is published now."""
    return (
        Article.objects.published()
        .filter(most_read_places__isnull=False)
        .annotate(recent_views=F("most_read_places__views"))
        .order_by("most_read_places__position")
        .for_cards()[:count]
    )


def most_read(count, hours=24, now=None, fall_back=True):
    """The `count` most read published articles of the last `hours` hours,
    each with `recent_views`.

    Up to 48 hours come from the hourly counts; longer periods are counted
    in whole days. With `fall_back`, too few articles in the hourly counts to
    fill the block make it count the last 7 days instead.
    """
    now = now or timezone.now()
    if hours <= HOURLY_VIEWS_KEPT.total_seconds() / 3600:
        articles = _published(
            HourlyArticleViews.objects.filter(hour__gte=now - timedelta(hours=hours)),
            count,
        )
        if len(articles) >= min(count, MOST_READ_SHOWN) or not fall_back:
            return articles
    first_day = timezone.localdate(now) - timedelta(days=max(7, hours // 24) - 1)
    return _published(DailyArticleViews.objects.filter(day__gte=first_day), count)


def _published(views, count):
    """The published ones among the most viewed in `views`, in order."""
    # Counted first on the small table, then fetched by id: a join would let
    # the database walk all published articles.
    totals = list(views.most_viewed()[: count * 4])
    articles = Article.objects.published().for_cards().in_bulk([pk for pk, _ in totals])
    ranked = []
    for pk, total in totals:
        if pk in articles:
            articles[pk].recent_views = total
            ranked.append(articles[pk])
    return ranked[:count]


def views_report(first_day, last_day, grouping):
    """Views per day and per article, section or author in a period."""
    views = DailyArticleViews.objects.between(first_day, last_day)
    per_day = dict(views.per_day().values_list("day", "total"))
    days = [
        (day, per_day.get(day, 0))
        for day in (
            first_day + timedelta(days=n)
            for n in range((last_day - first_day).days + 1)
        )
    ]
    label, method = GROUPINGS[grouping]
    return {
        "first_day": first_day,
        "last_day": last_day,
        "grouping": grouping,
        "grouping_label": label,
        "days": days,
        "total": sum(per_day.values()),
        "rows": [_row(grouping, row) for row in getattr(views, method)()],
    }


def _row(grouping, row):
    if grouping == "artikel":
        return {
            "name": row["article__headline"],
            "detail": row["article__section__name"],
            "url": reverse(
                "articles:article_detail",
                kwargs={
                    "section_path": row["article__section__path"],
                    "slug": row["article__slug"],
                },
            ),
            "total": row["total"],
        }
    if grouping == "ressort":
        return {"name": row["article__section__name"], "total": row["total"]}
    return {"name": row["article__authors__name"], "total": row["total"]}
