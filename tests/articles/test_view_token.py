"""A page our nginx shares leaves the view token to each reader's browser."""

import re
from html import unescape
from unittest import mock

from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from articles.beacons import (
    SHARED_COPY_HEADER,
    VIEW_TOKEN_PLACEHOLDER,
    issue_view_token,
)
from articles.models import DailyArticleViews
from tests.factories import make_article, make_draft, make_scheduled

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


class SharedViewTokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Gezählt")

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def token_for(self, article_id):
        return self.client.get(reverse("articles:view_token"), {"artikel": article_id})

    def count(self, token):
        return self.client.post(
            reverse("articles:count_view"), {"token": token}, HTTP_USER_AGENT=BROWSER
        )

    def test_the_shared_page_carries_no_token_but_where_to_get_one(self):
        html = self.client.get(
            self.article.get_absolute_url(), headers={SHARED_COPY_HEADER: "1"}
        ).content.decode()

        self.assertIn(f'data-token="{VIEW_TOKEN_PLACEHOLDER}{self.article.pk}"', html)
        token_url = unescape(re.search(r'data-token-url="([^"]+)"', html)[1])
        self.assertEqual(
            token_url, f"{reverse('articles:view_token')}?artikel={self.article.pk}"
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
        with mock.patch("articles.views.VIEWS_PER_ADDRESS_AND_MINUTE", 2):
            answers = [self.token_for(self.article.pk).status_code for _ in range(3)]
            # Asking for tokens does not use up the views' own limit.
            counted = self.count(issue_view_token(self.article.pk)).status_code

        self.assertEqual(answers, [200, 200, 429])
        self.assertEqual(counted, 204)

    def test_only_get_is_accepted(self):
        response = self.client.post(
            reverse("articles:view_token"), {"artikel": self.article.pk}
        )

        self.assertEqual(response.status_code, 405)
