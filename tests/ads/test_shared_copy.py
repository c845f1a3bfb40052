"""A page our nginx shares leaves the ads to each reader's browser (ads:fill)."""

import json
import re
from html import unescape
from unittest import mock

from django.core.cache import cache
from django.db import OperationalError
from django.templatetags.static import static
from django.test import TestCase
from django.urls import reverse

from ads.counting import read_token
from ads.views import preview_token
from pagecache.finishers import SHARED_COPY_HEADER
from tests.factories import (
    make_article,
    make_campaign,
    make_creative,
    make_editor,
    make_native_slot,
    make_section,
    make_slot,
)

SHARED = {SHARED_COPY_HEADER: "1"}


def tokens(html):
    return re.findall(r'data-ad-token="([^"]+)"', html)


def fill_url(html):
    return unescape(re.search(r'data-fill="([^"]+)"', html).group(1))


class SharedCopyTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.politik = make_section(name="Politik", slug="politik")
        cls.sport = make_section(name="Sport", slug="sport")
        cls.article = make_article(section=cls.politik, tags=["Haushalt"])
        cls.header = make_slot(key="header", width=728, height=90)
        cls.end = make_slot(key="article-end-1")
        cls.header_ad = make_creative(
            slot=cls.header,
            campaign=make_campaign(sections=[cls.politik]),
            alt_text="Nur in der Politik",
        )
        cls.end_ad = make_creative(slot=cls.end, alt_text="Herbstmesse")

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def shared_page(self, article=None):
        url = (article or self.article).get_absolute_url()
        return self.client.get(url, headers=SHARED).content.decode()

    def fill(self, query, **headers):
        return self.client.get(f"{reverse('ads:fill')}?{query}", headers=headers)


class SharedPageTests(SharedCopyTestCase):
    def test_the_shared_page_has_pending_slots_and_no_token(self):
        html = self.shared_page()

        self.assertEqual(tokens(html), [])
        self.assertNotIn("Nur in der Politik", html)
        self.assertIn('data-ad-pending="header"', html)
        self.assertIn('data-ad-pending="article-end-1"', html)
        self.assertNotIn("newsroom-ad", html)
        # The box holds the ad's space until it comes.
        self.assertIn('width="728" height="90" viewBox="0 0 728 90"', html)

    def test_the_script_asks_once_for_all_slots_with_the_page_targeting(self):
        html = self.shared_page()

        self.assertEqual(html.count(static("ads/ads.js")), 1)
        url = fill_url(html)
        self.assertTrue(url.startswith(reverse("ads:fill") + "?"))
        self.assertIn("slot=header", url)
        self.assertIn("slot=article-end-1", url)
        self.assertIn("ressort=politik", url)
        self.assertIn(f"themen={self.article.tags.get().pk}", url)

    def test_slots_not_in_use_stay_out(self):
        html = self.shared_page()

        self.assertNotIn('data-ad-pending="article-end-2"', html)
        self.assertNotIn("slot=article-end-2", fill_url(html))

    def test_the_page_cache_keeps_serving_both_kinds_of_page(self):
        shared = self.shared_page()
        direct = self.client.get(self.article.get_absolute_url())

        self.assertEqual(direct["X-Cache"], "HIT")
        self.assertEqual(len(tokens(direct.content.decode())), 2)
        self.assertEqual(
            self.client.get(self.article.get_absolute_url(), headers=SHARED)["X-Cache"],
            "HIT",
        )
        self.assertEqual(tokens(shared), [])

    def test_an_ad_free_article_asks_for_nothing(self):
        sensitive = make_article(section=self.politik, is_ad_free=True)

        html = self.shared_page(sensitive)

        self.assertNotIn("data-ad-pending", html)
        self.assertNotIn("ads.js", html)

    def test_a_pending_sponsored_card_keeps_the_recommendation_it_replaces(self):
        native = make_native_slot()
        make_creative(slot=native, headline="Zwölf Tage im Norden")
        for n in range(4):
            make_article(
                section=self.politik, headline=f"Empfehlung {n}", tags=["Haushalt"]
            )

        html = self.shared_page()

        related = html[html.index('class="related"') :]
        self.assertIn('data-ad-pending="related-sponsored"', related)
        self.assertEqual(related.count('class="card"'), 4)
        self.assertNotIn("Zwölf Tage im Norden", html)

    def test_the_preview_fills_in_its_creative_as_before(self):
        url = reverse(
            "ads:preview",
            kwargs={"token": preview_token(self.end_ad, self.end, self.article)},
        )

        html = self.client.get(url, headers=SHARED).content.decode()

        self.assertIn("Herbstmesse", html)
        self.assertNotIn("data-ad-pending", html)
        self.assertEqual(tokens(html), [])

    def test_staff_pages_go_out_filled_as_nginx_does_not_share_them(self):
        self.client.force_login(make_editor())

        html = self.shared_page()

        self.assertNotIn("data-ad-pending", html)
        self.assertEqual(len(tokens(html)), 2)


class FillTests(SharedCopyTestCase):
    def query(self, article=None):
        return fill_url(self.shared_page(article)).split("?", 1)[1]

    def test_each_call_gets_the_markup_with_fresh_tokens(self):
        query = self.query()

        first, second = self.fill(query), self.fill(query)

        self.assertEqual(first["Content-Type"], "application/json")
        markup = json.loads(first.content)
        self.assertEqual(set(markup), {"header", "article-end-1"})
        self.assertIn('alt="Nur in der Politik"', markup["header"])
        self.assertIn('<p class="ad-slot__label">Anzeige</p>', markup["header"])
        first_tokens = tokens("".join(markup.values()))
        second_tokens = tokens("".join(json.loads(second.content).values()))
        self.assertEqual(len(first_tokens), 2)
        self.assertFalse(set(first_tokens) & set(second_tokens))
        header_token = tokens(markup["header"])[0]
        self.assertEqual(read_token(header_token).ids[0], self.header_ad.pk)
        click = reverse("ads:click", kwargs={"token": header_token})
        self.assertIn(f'href="{click}"', markup["header"])

    def test_targeting_follows_the_page_asked_for(self):
        elsewhere = make_article(section=self.sport)

        markup = json.loads(self.fill(self.query(elsewhere)).content)

        self.assertEqual(set(markup), {"article-end-1"})

    def test_nobody_keeps_a_copy(self):
        response = self.fill(self.query())

        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])
        self.assertFalse(response.cookies)

    def test_bursts_beyond_what_a_reader_makes_are_rate_limited(self):
        with mock.patch("ads.views.is_rate_limited", return_value=True):
            response = self.fill(self.query())

        self.assertEqual(response.status_code, 429)
        self.assertIn("no-store", response["Cache-Control"])

    def test_the_limit_is_the_one_the_beacons_share(self):
        query = self.query()
        with mock.patch("ads.counting.RATE_LIMIT_EVENTS", 2):
            statuses = [self.fill(query).status_code for _ in range(3)]

        self.assertEqual(statuses, [200, 200, 429])

    def test_garbage_gets_a_400_in_german(self):
        for query in (
            "",
            "ressort=politik",
            "slot=header&themen=eins",
            "slot=header&themen=1,,2",
            "slot=" + "x" * 51,
            "slot=<script>",
            "slot=header&ressort=%00",
            "slot=header&ressort=../../etc",
            "&".join(f"slot=s{n}" for n in range(21)),
            "slot=header&themen=" + "9" * 30,
        ):
            with self.subTest(query=query):
                response = self.fill(query)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Ungültige Anfrage", response.content.decode())

    def test_unknown_slots_and_tags_just_stay_empty(self):
        response = self.fill("slot=gibt-es-nicht&themen=999999999")

        self.assertEqual(json.loads(response.content), {})

    def test_only_get_is_accepted(self):
        self.assertEqual(
            self.client.post(reverse("ads:fill"), {"slot": "header"}).status_code, 405
        )

    def test_without_the_database_no_ads_and_no_error(self):
        query = self.query()
        cache.clear()
        with mock.patch(
            "ads.views.decide", side_effect=OperationalError("Datenbank weg")
        ):
            response = self.fill(query)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(response.content), {})
