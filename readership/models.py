from django.db import models
from django.db.models import Sum

from articles.models import Article


class ViewCountQuerySet(models.QuerySet):
    def most_viewed(self):
        """(article id, views) pairs, most viewed first."""
        return (
            self.values("article_id")
            .annotate(total=Sum("views"))
            .order_by("-total", "-article_id")
            .values_list("article_id", "total")
        )


class HourlyViewsQuerySet(ViewCountQuerySet):
    def older_than(self, moment):
        """Counts of the hours before `moment`."""
        return self.filter(hour__lt=moment)


class ArticleViewsQuerySet(ViewCountQuerySet):
    def between(self, first_day, last_day):
        """Counts of the days from `first_day` to `last_day`, both included."""
        return self.filter(day__gte=first_day, day__lte=last_day)

    def per_day(self):
        """(day, views) for every day with views, oldest first."""
        return self.values("day").annotate(total=Sum("views")).order_by("day")

    def per_article(self):
        return (
            self.values(
                "article_id",
                "article__headline",
                "article__slug",
                "article__section__name",
                "article__section__path",
            )
            .annotate(total=Sum("views"))
            .order_by("-total", "article__headline", "article_id")
        )

    def per_section(self):
        return (
            self.values("article__section_id", "article__section__name")
            .annotate(total=Sum("views"))
            .order_by("-total", "article__section__name")
        )

    def per_author(self):
        """Views per author; an article by two counts fully for both."""
        return (
            self.filter(article__authors__isnull=False)
            .values("article__authors__id", "article__authors__name")
            .annotate(total=Sum("views"))
            .order_by("-total", "article__authors__name")
        )


class DailyArticleViews(models.Model):
    """Page views of one article on one day (Europe/Berlin), nothing more."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField("Tag")
    views = models.PositiveIntegerField("Aufrufe", default=0)

    objects = ArticleViewsQuerySet.as_manager()

    class Meta:
        verbose_name = "Aufrufe pro Tag"
        verbose_name_plural = "Aufrufe pro Tag"
        ordering = ["-day", "-views"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day"], name="readership_dailyviews_unique"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="daily_views_day_idx")]

    def __str__(self):
        return f"{self.article_id} am {self.day}: {self.views}"


class HourlyArticleViews(models.Model):
    """Views per article and hour, kept for two days for "Meistgelesen"."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="hourly_views"
    )
    hour = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)

    objects = HourlyViewsQuerySet.as_manager()

    class Meta:
        verbose_name = "Aufrufe pro Stunde"
        verbose_name_plural = "Aufrufe pro Stunde"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"], name="readership_hourlyviews_unique"
            ),
        ]
        indexes = [models.Index(fields=["hour"], name="hourly_views_hour_idx")]

    def __str__(self):
        return f"{self.article_id} ab {self.hour}: {self.views}"


class MostReadArticle(models.Model):
    """One place in the "Meistgelesen" list.

    Recomputed from the view counts by the counting requests, at most once a
    minute, so that pages only read it.
    """

    position = models.PositiveSmallIntegerField(unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="most_read_places"
    )
    views = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "Platz unter „Meistgelesen“"
        verbose_name_plural = "Plätze unter „Meistgelesen“"
        ordering = ["position"]

    def __str__(self):
        return f"{self.position + 1}. {self.article_id}"
