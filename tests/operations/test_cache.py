"""With Redis gone, the site serves and counts as if nothing were cached."""

import re
import warnings

from django.core.cache import caches
from django.db.models import Sum
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from ads.models import AdEvent, CountReason, EventCount
from operations.cache import LocalMemoryCache
from readership.models import DailyArticleViews
from tests.factories import make_article, make_creative, make_slot

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
# Nothing listens here (one of the ports reserved for these tests).
DEAD_REDIS = {
    "default": {
        "BACKEND": "operations.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:8147/14",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
}


@override_settings(CACHES=DEAD_REDIS)
class RedisDownTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Fähre fährt wieder")
        make_creative(slot=make_slot(key="header"))

    def test_the_cache_behaves_like_an_empty_one(self):
        cache = caches.create_connection("default")

        with self.assertLogs("operations.cache", "WARNING") as logs:
            cache.set("key", "value")
            value = cache.get("key", "default")
            added = cache.add("other", 1)
            with self.assertRaises(ValueError):
                cache.incr("other")
            cache.delete("key")

        self.assertEqual(value, "default")
        self.assertIs(added, True)
        # One warning, not one per call.
        self.assertEqual(len(logs.output), 1)

    def test_pages_are_served(self):
        for url in (
            reverse("articles:front_page"),
            self.article.section.get_absolute_url(),
            self.article.get_absolute_url(),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_views_and_ads_are_counted(self):
        page = self.client.get(self.article.get_absolute_url()).content.decode()
        token = re.search(r'data-ad-token="([^"]+)"', page).group(1)
        view_token = re.search(r' data-token="([^"]+)"', page).group(1)

        view = self.client.post(
            reverse("readership:count_view"),
            {"token": view_token},
            HTTP_USER_AGENT=BROWSER,
        )
        beacon = self.client.post(
            reverse("ads:beacon"), {AdEvent.SERVED: token}, HTTP_USER_AGENT=BROWSER
        )

        self.assertEqual((view.status_code, beacon.status_code), (204, 204))
        self.assertEqual(
            DailyArticleViews.objects.aggregate(Sum("views"))["views__sum"], 1
        )
        self.assertEqual(
            EventCount.objects.get(event=AdEvent.SERVED).reason, CountReason.COUNTED
        )


class KeyRulesTests(SimpleTestCase):
    def test_the_local_cache_keeps_keys_memcached_would_refuse_without_checking(
        self,
    ):
        local = LocalMemoryCache("keys", {})
        key = "seite mit leerzeichen:" + "x" * 300

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            local.set(key, "gespeichert")

            self.assertEqual(local.get(key), "gespeichert")
