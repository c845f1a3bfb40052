"""„Meistgelesen“ and the statistics pages for readers and staff."""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from readership import services
from readership.models import DailyArticleViews, HourlyArticleViews
from tests.factories import (
    make_article,
    make_author,
    make_draft,
    make_editor,
    make_section,
)


# The block as rendered; inside cached pages it lags by PAGE_CACHE_SECONDS.
@override_settings(PAGE_CACHE_SECONDS=0)
class MostReadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.articles = [make_article(headline=f"Artikel {n}") for n in range(7)]

    def view(self, article, times, at=None):
        for _ in range(times):
            services.count_view(article, at=at)

    def block(self, url, refresh=True):
        if refresh:
            services.refresh_most_read(force=True)
        html = self.client.get(url).content.decode()
        if "Meistgelesen" not in html:
            return []
        part = html.split('class="most-read__list"')[1].split("</ol>")[0]
        return [
            article.headline
            for _, article in sorted(
                (part.index(a.get_absolute_url()), a)
                for a in self.articles
                if a.get_absolute_url() in part
            )
        ]

    def test_home_and_article_pages_show_the_most_read_of_the_last_day(self):
        for number, article in enumerate(self.articles[:5]):
            self.view(article, number + 1)

        expected = [f"Artikel {n}" for n in (4, 3, 2, 1, 0)]
        self.assertEqual(self.block(reverse("articles:front_page")), expected)
        self.assertEqual(self.block(self.articles[6].get_absolute_url()), expected)

    def test_falls_back_to_the_last_seven_days(self):
        five_days_ago = timezone.now() - timedelta(days=5)
        for number, article in enumerate(self.articles[:5]):
            self.view(article, number + 1, at=five_days_ago)
        self.view(self.articles[0], 10)
        ten_days_ago = timezone.now() - timedelta(days=10)
        self.view(self.articles[6], 50, at=ten_days_ago)

        self.assertEqual(
            self.block(reverse("articles:front_page")),
            ["Artikel 0", "Artikel 4", "Artikel 3", "Artikel 2", "Artikel 1"],
        )

    def test_a_full_day_is_not_replaced_by_the_week(self):
        for number, article in enumerate(self.articles[:6]):
            self.view(article, number + 1)
        self.view(self.articles[6], 50, at=timezone.now() - timedelta(days=3))

        shown = self.block(reverse("articles:front_page"))

        self.assertEqual(shown, [f"Artikel {n}" for n in (5, 4, 3, 2, 1)])

    def test_no_views_no_block(self):
        self.assertNotContains(
            self.client.get(reverse("articles:front_page")), "Meistgelesen"
        )

    def test_unpublished_articles_never_appear(self):
        draft = make_draft(headline="Geheimer Entwurf")
        DailyArticleViews.objects.create(
            article=draft, day=timezone.localdate(), views=99
        )
        HourlyArticleViews.objects.create(
            article=draft,
            hour=timezone.now().replace(minute=0, second=0, microsecond=0),
            views=99,
        )
        self.view(self.articles[0], 1)
        services.refresh_most_read(force=True)

        response = self.client.get(reverse("articles:front_page"))

        self.assertContains(response, "Meistgelesen")
        self.assertNotContains(response, "Geheimer Entwurf")

    def test_an_article_taken_offline_leaves_the_stored_list_at_once(self):
        self.view(self.articles[0], 2)
        self.view(self.articles[1], 1)
        home = reverse("articles:front_page")
        self.assertEqual(self.block(home), ["Artikel 0", "Artikel 1"])

        Article.objects.filter(pk=self.articles[0].pk).update(status="draft")

        self.assertEqual(self.block(home, refresh=False), ["Artikel 1"])

    def test_counting_refreshes_the_list_at_most_once_a_minute(self):
        now = timezone.now()
        home = reverse("articles:front_page")
        services.count_view(self.articles[0], at=now)
        services.count_view(self.articles[1], at=now)
        services.count_view(self.articles[1], at=now)

        self.assertEqual(self.block(home, refresh=False), ["Artikel 0"])

        services.count_view(self.articles[1], at=now + timedelta(seconds=61))

        self.assertEqual(self.block(home, refresh=False), ["Artikel 1", "Artikel 0"])

    def test_reading_the_block_takes_one_query(self):
        for article in self.articles:
            self.view(article, 2)
        services.refresh_most_read(force=True)

        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("articles:front_page"))

        stored_list = [q for q in queries if "readership_mostreadarticle" in q["sql"]]
        self.assertEqual(len(stored_list), 1)

    def test_query_count_does_not_grow_with_the_number_of_read_articles(self):
        self.view(self.articles[0], 1)
        services.refresh_most_read(force=True)
        self.client.get(reverse("articles:front_page"))  # warms the ad campaigns cache
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("articles:front_page"))
        for article in self.articles:
            self.view(article, 3)
        for _ in range(10):
            self.view(make_article(), 1)
        services.refresh_most_read(force=True)
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("articles:front_page"))

        self.assertEqual(len(few), len(many))

    def test_public_statistics_page_keeps_the_day_and_the_week_apart(self):
        self.view(self.articles[0], 2)
        self.view(self.articles[1], 5, at=timezone.now() - timedelta(days=3))

        response = self.client.get(reverse("readership:statistics"))

        self.assertEqual(list(response.context["day_articles"]), [self.articles[0]])
        self.assertEqual(
            list(response.context["week_articles"]),
            [self.articles[1], self.articles[0]],
        )

    def test_public_statistics_page_lists_the_most_read(self):
        self.view(self.articles[2], 3)

        response = self.client.get(reverse("readership:statistics"))

        self.assertContains(response, "Meistgelesen in den letzten 24 Stunden")
        self.assertContains(response, "Artikel 2")
        self.assertContains(response, "3 Aufrufe")
        self.assertNotContains(response, reverse("readership:staff_statistics"))


class StaffStatisticsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.politik = make_section(name="Politik", slug="politik")
        cls.sport = make_section(name="Sport", slug="sport")
        cls.anna = make_author(name="Anna Kühn")
        cls.ben = make_author(name="Ben Ortmann")
        cls.budget = make_article(
            section=cls.politik, headline="Haushalt", authors=[cls.anna]
        )
        cls.derby = make_article(
            section=cls.sport, headline="Derby", authors=[cls.anna, cls.ben]
        )
        today = timezone.localdate()
        for article, days_ago, views in [
            (cls.budget, 0, 10),
            (cls.budget, 3, 5),
            (cls.derby, 1, 7),
            (cls.derby, 40, 100),
        ]:
            DailyArticleViews.objects.create(
                article=article, day=today - timedelta(days=days_ago), views=views
            )

    def setUp(self):
        self.client.force_login(self.editor)

    def report(self, **params):
        return self.client.get(reverse("readership:staff_statistics"), params)

    def csv_rows(self, **params):
        response = self.client.get(reverse("readership:staff_statistics_csv"), params)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))

    def test_readers_are_sent_to_the_login(self):
        self.client.logout()

        for name in ("readership:staff_statistics", "readership:staff_statistics_csv"):
            with self.subTest(page=name):
                response = self.client.get(reverse(name))

                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("admin:login"), response["Location"])

    def test_views_per_article_in_the_last_30_days_by_default(self):
        response = self.report()

        self.assertContains(response, "Insgesamt 22 Aufrufe.")
        self.assertEqual(
            [(row["name"], row["total"]) for row in response.context["rows"]],
            [("Haushalt", 15), ("Derby", 7)],
        )
        self.assertContains(response, f'href="{self.budget.get_absolute_url()}"')

    def test_views_per_section_and_per_author(self):
        sections = self.report(nach="ressort").context["rows"]
        authors = self.report(nach="autor").context["rows"]

        self.assertEqual(
            [(r["name"], r["total"]) for r in sections], [("Politik", 15), ("Sport", 7)]
        )
        self.assertEqual(
            [(r["name"], r["total"]) for r in authors],
            [("Anna Kühn", 22), ("Ben Ortmann", 7)],
        )

    def test_a_chosen_period(self):
        today = timezone.localdate()

        response = self.report(
            von=today - timedelta(days=50), bis=today - timedelta(days=2)
        )

        self.assertContains(response, "Insgesamt 105 Aufrufe.")

    def test_the_chart_has_a_bar_per_day(self):
        today = timezone.localdate()

        response = self.report(von=today - timedelta(days=6), bis=today)

        # One chart (the header's search icon is an SVG too).
        self.assertContains(response, "<svg viewBox=", count=1)
        self.assertContains(response, 'class="views-chart__bar"', count=7)
        # German number formatting would break the SVG's coordinates.
        self.assertNotRegex(response.content.decode(), r'<rect [^>]*="\d+,\d')
        self.assertContains(response, f"{today:%-d}. ")

    def test_csv_export_has_the_same_rows(self):
        rows = self.csv_rows(nach="autor")

        self.assertEqual(
            rows, [["Autor/in", "Aufrufe"], ["Anna Kühn", "22"], ["Ben Ortmann", "7"]]
        )

    def test_bad_periods_get_a_german_error_not_a_crash(self):
        today = timezone.localdate()
        for params, message in [
            (
                {"von": today, "bis": today - timedelta(days=1)},
                "„Von“ muss vor „Bis“ liegen.",
            ),
            ({"von": today - timedelta(days=400), "bis": today}, "höchstens 366 Tage"),
            ({"von": "gestern"}, "Bitte ein gültiges Datum eingeben."),
            ({"nach": "planet"}, "Bitte eine gültige Auswahl treffen."),
        ]:
            with self.subTest(params=params):
                response = self.report(**params)

                self.assertContains(response, message)
                csv_response = self.client.get(
                    reverse("readership:staff_statistics_csv"), params
                )
                self.assertEqual(csv_response.status_code, 400)

    def test_staff_see_the_way_from_the_public_statistics_page(self):
        response = self.client.get(reverse("readership:statistics"))

        self.assertContains(response, reverse("readership:staff_statistics"))
