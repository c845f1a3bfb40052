"""The view beacon: one signed token per page view, counted once.

A page our nginx shares leaves the view token to each reader's browser.
"""

import re
from datetime import timedelta
from html import unescape
from unittest import mock

from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pagecache.finishers import SHARED_COPY_HEADER
from readership import services
from readership.models import DailyArticleViews, HourlyArticleViews
from readership.tokens import VIEW_TOKEN_PLACEHOLDER, issue_view_token
from tests.factories import make_article, make_draft, make_scheduled

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
            reverse("readership:count_view"),
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

    def test_a_bot_is_not_counted_and_leaves_the_token_unspent(self):
        """Which requests count is counting.rules' (tests/counting)."""
        token = issue_view_token(self.article.pk)

        bot = self.count(self.article.pk, "Googlebot/2.1", token=token)

        self.assertEqual(bot.status_code, 204)
        self.assertFalse(DailyArticleViews.objects.exists())
        self.assertEqual(self.count(self.article.pk, token=token).status_code, 204)
        self.assertEqual(DailyArticleViews.objects.get().views, 1)

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
        with mock.patch("readership.views.VIEWS_PER_ADDRESS_AND_MINUTE", 3):
            answers = [self.count(self.article.pk).status_code for _ in range(5)]
            other = self.count(self.article.pk, REMOTE_ADDR="203.0.113.9")

        self.assertEqual(answers, [204, 204, 204, 429, 429])
        self.assertEqual(other.status_code, 204)
        self.assertEqual(DailyArticleViews.objects.get().views, 4)

    def test_only_post_counts(self):
        response = self.client.get(
            reverse("readership:count_view"),
            {"token": issue_view_token(self.article.pk)},
        )

        self.assertEqual(response.status_code, 405)

    def test_counting_needs_no_csrf_token_so_cached_pages_count_too(self):
        client = self.client_class(enforce_csrf_checks=True)

        response = client.post(
            reverse("readership:count_view"),
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

        self.assertContains(response, f'data-url="{reverse("readership:count_view")}"')
        self.assertFalse(response.cookies)

    def test_old_hourly_counts_are_dropped(self):
        long_ago = timezone.now() - timedelta(days=3)
        services.count_view(self.article, at=long_ago)

        services.count_view(self.article)

        self.assertEqual(HourlyArticleViews.objects.count(), 1)
        self.assertEqual(DailyArticleViews.objects.count(), 2)


class SharedViewTokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Gezählt")

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def token_for(self, article_id):
        return self.client.get(
            reverse("readership:view_token"), {"artikel": article_id}
        )

    def count(self, token):
        return self.client.post(
            reverse("readership:count_view"), {"token": token}, HTTP_USER_AGENT=BROWSER
        )

    def test_the_shared_page_carries_no_token_but_where_to_get_one(self):
        html = self.client.get(
            self.article.get_absolute_url(), headers={SHARED_COPY_HEADER: "1"}
        ).content.decode()

        self.assertIn(f'data-token="{VIEW_TOKEN_PLACEHOLDER}{self.article.pk}"', html)
        token_url = unescape(re.search(r'data-token-url="([^"]+)"', html)[1])
        self.assertEqual(
            token_url, f"{reverse('readership:view_token')}?artikel={self.article.pk}"
        )

    def test_a_direct_request_still_gets_its_token_in_the_page(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()

        self.assertNotIn(VIEW_TOKEN_PLACEHOLDER, html)

    def test_each_reader_gets_a_token_that_counts_once(self):
        first, second = self.token_for(self.article.pk), self.token_for(self.article.pk)

        tokens = [first.json()["token"], second.json()["token"]]
        self.assertNotEqual(tokens[0], tokens[1])
        self.assertEqual(
            [self.count(token).status_code for token in tokens], [204, 204]
        )
        self.assertEqual(self.count(tokens[0]).status_code, 400)
        self.assertEqual(DailyArticleViews.objects.get().views, 2)

    def test_nobody_keeps_a_copy(self):
        response = self.token_for(self.article.pk)

        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])
        self.assertFalse(response.cookies)

    def test_only_published_articles_get_one(self):
        for article_id in (make_draft().pk, make_scheduled().pk, 987654):
            with self.subTest(article_id=article_id):
                self.assertEqual(self.token_for(article_id).status_code, 404)

    def test_garbage_gets_a_400(self):
        for value in ("", "eins", "-1", "0", "1.5", "9" * 30, "1\x00", "١٢"):
            with self.subTest(value=value):
                self.assertEqual(self.token_for(value).status_code, 400)

    def test_one_address_asking_too_often_is_refused(self):
        with mock.patch("readership.views.VIEWS_PER_ADDRESS_AND_MINUTE", 2):
            answers = [self.token_for(self.article.pk).status_code for _ in range(3)]
            # Asking for tokens does not use up the views' own limit.
            counted = self.count(issue_view_token(self.article.pk)).status_code

        self.assertEqual(answers, [200, 200, 429])
        self.assertEqual(counted, 204)

    def test_only_get_is_accepted(self):
        response = self.client.post(
            reverse("readership:view_token"), {"artikel": self.article.pk}
        )

        self.assertEqual(response.status_code, 405)
