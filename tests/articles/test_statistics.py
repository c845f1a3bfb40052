import csv
import io
import re
from datetime import timedelta
from unittest import mock

from django.core import signing
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.beacons import issue_view_token
from articles.models import Article, DailyArticleViews, HourlyArticleViews
from tests.factories import (
    make_article,
    make_author,
    make_draft,
    make_editor,
    make_section,
)

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


class ViewBeaconTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Gezählt")

    def count(self, article_id, user_agent=BROWSER, token=None, **headers):
        return self.client.post(
            reverse("articles:count_view"),
            {"token": token or issue_view_token(article_id)},
            HTTP_USER_AGENT=user_agent,
            **headers,
        )

    def test_a_view_is_counted_per_day_and_hour(self):
        self.count(self.article.pk)
        response = self.count(self.article.pk)

        self.assertEqual(response.status_code, 204)
        day = DailyArticleViews.objects.get()
        self.assertEqual(
            (day.article, day.day, day.views), (self.article, timezone.localdate(), 2)
        )
        self.assertEqual(HourlyArticleViews.objects.get().views, 2)

    def test_nothing_about_the_reader_is_kept(self):
        response = self.count(self.article.pk)

        self.assertFalse(response.cookies)
        stored = {
            field.name
            for model in (DailyArticleViews, HourlyArticleViews)
            for field in model._meta.get_fields()
        }
        self.assertEqual(stored, {"id", "article", "day", "hour", "views"})

    def test_bots_are_not_counted(self):
        for agent in [
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "Mozilla/5.0 HeadlessChrome/131.0",
            "facebookexternalhit/1.1",
            "curl/8.5.0",
            "",
        ]:
            with self.subTest(agent=agent):
                self.assertEqual(self.count(self.article.pk, agent).status_code, 204)

        self.assertFalse(DailyArticleViews.objects.exists())

    def test_unpublished_or_unknown_articles_are_not_counted(self):
        draft = make_draft()

        self.assertEqual(self.count(draft.pk).status_code, 404)
        self.assertEqual(self.count(987654).status_code, 404)
        self.assertFalse(DailyArticleViews.objects.exists())

    def test_a_missing_forged_or_tampered_token_counts_nothing(self):
        token = issue_view_token(self.article.pk)
        for bad in [
            "",
            "abc",
            token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
            # Another article's payload under this token's signature.
            issue_view_token(self.article.pk + 1).rsplit(":", 1)[0]
            + ":"
            + token.rsplit(":", 1)[1],
            signing.dumps([self.article.pk, "nonce"], salt="ads.placement"),
        ]:
            with self.subTest(token=bad):
                response = self.count(self.article.pk, token=bad or "-")

                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "ungültig", status_code=400)
        self.assertFalse(DailyArticleViews.objects.exists())

    def test_an_expired_token_counts_nothing(self):
        seven_hours_ago = timezone.now() - timedelta(hours=7)
        with mock.patch(
            "django.core.signing.time.time", return_value=seven_hours_ago.timestamp()
        ):
            old = issue_view_token(self.article.pk)

        self.assertEqual(self.count(self.article.pk, token=old).status_code, 400)
        self.assertFalse(DailyArticleViews.objects.exists())

    def test_a_token_counts_once(self):
        token = issue_view_token(self.article.pk)

        first = self.count(self.article.pk, token=token)
        again = self.count(self.article.pk, token=token)

        self.assertEqual((first.status_code, again.status_code), (204, 400))
        self.assertEqual(DailyArticleViews.objects.get().views, 1)

    def test_one_address_sending_too_many_is_refused(self):
        with mock.patch("articles.views.VIEWS_PER_ADDRESS_AND_MINUTE", 3):
            answers = [self.count(self.article.pk).status_code for _ in range(5)]
            other = self.count(self.article.pk, REMOTE_ADDR="203.0.113.9")

        self.assertEqual(answers, [204, 204, 204, 429, 429])
        self.assertEqual(other.status_code, 204)
        self.assertEqual(DailyArticleViews.objects.get().views, 4)

    def test_a_forwarded_address_is_trusted_only_behind_our_proxy(self):
        def burst(forwarded_for):
            return [
                self.count(self.article.pk, HTTP_X_FORWARDED_FOR=address).status_code
                for address in forwarded_for
            ]

        with mock.patch("articles.views.VIEWS_PER_ADDRESS_AND_MINUTE", 1):
            # Without a proxy in front, anyone can write the header.
            self.assertEqual(burst(["198.51.100.1", "198.51.100.2"]), [204, 429])
            with override_settings(BEHIND_PROXY=True):
                # nginx appends the address it saw; what the client wrote
                # further left does not matter.
                self.assertEqual(
                    burst(["1.1.1.1, 198.51.100.3", "2.2.2.2, 198.51.100.3"]),
                    [204, 429],
                )

    def test_only_post_counts(self):
        response = self.client.get(
            reverse("articles:count_view"), {"token": issue_view_token(self.article.pk)}
        )

        self.assertEqual(response.status_code, 405)

    def test_counting_needs_no_csrf_token_so_cached_pages_count_too(self):
        client = self.client_class(enforce_csrf_checks=True)

        response = client.post(
            reverse("articles:count_view"),
            {"token": issue_view_token(self.article.pk)},
            HTTP_USER_AGENT=BROWSER,
        )

        self.assertEqual(response.status_code, 204)

    def test_every_page_view_carries_its_own_token_even_from_the_cache(self):
        pages = [self.client.get(self.article.get_absolute_url()) for _ in range(2)]

        tokens = [
            re.search(r'data-token="([^"]+)"', page.content.decode())[1]
            for page in pages
        ]
        self.assertNotEqual(tokens[0], tokens[1])
        for token in tokens:
            self.assertEqual(self.count(None, token=token).status_code, 204)
        self.assertEqual(DailyArticleViews.objects.get().views, 2)

    def test_rendering_the_page_writes_nothing(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.article.get_absolute_url())

        self.assertEqual(response.status_code, 200)
        writes = [
            q["sql"]
            for q in queries
            if not q["sql"].lstrip().upper().startswith("SELECT")
        ]
        self.assertEqual(writes, [])
        self.assertFalse(DailyArticleViews.objects.exists())

    def test_the_page_loads_the_counting_script_without_cookies(self):
        response = self.client.get(self.article.get_absolute_url())

        self.assertContains(response, f'data-url="{reverse("articles:count_view")}"')
        self.assertFalse(response.cookies)

    def test_old_hourly_counts_are_dropped(self):
        long_ago = timezone.now() - timedelta(days=3)
        services.count_view(self.article, at=long_ago)

        services.count_view(self.article)

        self.assertEqual(HourlyArticleViews.objects.count(), 1)
        self.assertEqual(DailyArticleViews.objects.count(), 2)


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

        stored_list = [q for q in queries if "articles_mostreadarticle" in q["sql"]]
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

        response = self.client.get(reverse("articles:statistics"))

        self.assertEqual(list(response.context["day_articles"]), [self.articles[0]])
        self.assertEqual(
            list(response.context["week_articles"]),
            [self.articles[1], self.articles[0]],
        )

    def test_public_statistics_page_lists_the_most_read(self):
        self.view(self.articles[2], 3)

        response = self.client.get(reverse("articles:statistics"))

        self.assertContains(response, "Meistgelesen in den letzten 24 Stunden")
        self.assertContains(response, "Artikel 2")
        self.assertContains(response, "3 Aufrufe")
        self.assertNotContains(response, reverse("articles:staff_statistics"))


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
        return self.client.get(reverse("articles:staff_statistics"), params)

    def csv_rows(self, **params):
        response = self.client.get(reverse("articles:staff_statistics_csv"), params)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))

    def test_readers_are_sent_to_the_login(self):
        self.client.logout()

        for name in ("articles:staff_statistics", "articles:staff_statistics_csv"):
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

        self.assertContains(response, "<svg", count=1)
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
                    reverse("articles:staff_statistics_csv"), params
                )
                self.assertEqual(csv_response.status_code, 400)

    def test_staff_see_the_way_from_the_public_statistics_page(self):
        response = self.client.get(reverse("articles:statistics"))

        self.assertContains(response, reverse("articles:staff_statistics"))
