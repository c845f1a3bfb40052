"""Two gunicorn instances on one PostgreSQL act as one site.

What a load balancer in front of several app servers relies on: an editor
publishing through one instance is seen at once through the other, a
session from one is valid on the other, and counters written through both
under concurrent load add up exactly. REDIS_URL, if set, is handed to both
instances, so that they share one Redis as they would in production.
"""

import http.cookiejar
import os
import shutil
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from itertools import count

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.test import TransactionTestCase

from ads.counting import issue_token
from ads.models import AdEvent, CountReason, EventCount
from readership.models import DailyArticleViews
from readership.tokens import issue_view_token
from tests.factories import make_article, make_creative, make_draft, make_section

# Must be free on the machine running the tests (see README, Databases).
PORTS = tuple(
    int(port)
    for port in os.environ.get("NEWSROOM_TEST_SERVER_PORTS", "8033,8034").split(",")
)
LOAD_SECONDS = 8
LOAD_THREADS = 8
AD_TOKENS = 150
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def database_url():
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "Several app servers need a database server (DATABASE_URL=postgres://…)",
)
@unittest.skipUnless(
    shutil.which("gunicorn", path=os.path.dirname(sys.executable)), "gunicorn"
)
class TwoServerTests(TransactionTestCase):
    def setUp(self):
        self.servers = [f"http://127.0.0.1:{port}" for port in PORTS]
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            # The test stands in for a proxy, giving each reader an address.
            "DJANGO_BEHIND_PROXY": "1",
        }
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        for port in PORTS:
            process = subprocess.Popen(
                [
                    gunicorn,
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--log-level",
                    "warning",
                    "newsroom.wsgi",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.addCleanup(self.stop, process)
        for server in self.servers:
            self.wait_for(server)

    def stop(self, process):
        process.terminate()
        process.wait(timeout=10)

    def wait_for(self, server):
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{server}/robots.txt", timeout=2)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def get(self, url, opener=None):
        try:
            response = (opener or urllib.request.build_opener()).open(url, timeout=10)
        except urllib.error.HTTPError as error:
            return error.code, ""
        return response.status, response.read().decode()

    def post(self, url, data, headers=None, opener=None):
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers={"User-Agent": BROWSER, **(headers or {})},
        )
        try:
            response = (opener or urllib.request.build_opener()).open(
                request, timeout=10
            )
        except urllib.error.HTTPError as error:
            return error.code
        return response.status

    def signed_in(self, server):
        """An opener with an editor's session, started through `server`."""
        get_user_model().objects.create_superuser("chefin", password="lange-geheim-99")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.get(f"{server}/admin/login/", opener)
        self.post(
            f"{server}/admin/login/?next=/admin/",
            {
                "username": "chefin",
                "password": "lange-geheim-99",
                "csrfmiddlewaretoken": self.csrf_token(jar),
            },
            opener=opener,
        )
        return opener, jar

    def csrf_token(self, jar):
        return next(cookie.value for cookie in jar if cookie.name == "csrftoken")

    def run_admin_action(self, server, opener, jar, action, article):
        status = self.post(
            f"{server}/admin/articles/article/",
            {
                "action": action,
                "_selected_action": [article.pk],
                "csrfmiddlewaretoken": self.csrf_token(jar),
            },
            opener=opener,
        )
        self.assertEqual(status, 200)

    def test_publishing_through_one_is_seen_at_once_through_the_other(self):
        one, other = self.servers
        section = make_section(name="Hafen", slug="hafen")
        article = make_draft(section=section, headline="Neue Fähre für die Insel")
        url = f"/hafen/{article.slug}/"
        # Whatever the other instance keeps between requests is warm now.
        self.assertEqual(self.get(f"{other}{url}")[0], 404)
        self.assertNotIn(article.headline, self.get(f"{other}/hafen/")[1])
        # The session made on one instance is valid on the other.
        opener, jar = self.signed_in(other)

        self.run_admin_action(one, opener, jar, "publish", article)

        self.assertEqual(self.get(f"{other}{url}")[0], 200)
        self.assertIn(article.headline, self.get(f"{other}/hafen/")[1])
        self.assertIn(article.headline, self.get(f"{other}/")[1])

        self.run_admin_action(other, opener, jar, "withdraw", article)

        self.assertEqual(self.get(f"{one}{url}")[0], 404)
        self.assertNotIn(article.headline, self.get(f"{one}/hafen/")[1])

    def test_counters_stay_exact_under_load_through_both(self):
        article = make_article()
        creative = make_creative()
        slot = creative.slots.get()
        tokens = [issue_token(creative.pk, slot.pk) for _ in range(AD_TOKENS)]
        addresses = count(1)

        def reader():
            # A distinct reader address for each beacon keeps the per-address
            # rate limits out of this count.
            number = next(addresses)
            address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            return {"X-Forwarded-For": address}

        def view(server):
            return self.post(
                f"{server}/statistik/aufruf/",
                {"token": issue_view_token(article.pk)},
                headers=reader(),
            )

        def beacon(server, token):
            return self.post(
                f"{server}/anzeigen/ereignis/",
                {AdEvent.SERVED: token},
                headers=reader(),
            )

        counted_views = 0
        with ThreadPoolExecutor(LOAD_THREADS) as pool:
            # Every ad token arrives twice, once through each instance.
            beacons = [
                pool.submit(beacon, server, token)
                for token in tokens
                for server in self.servers
            ]
            deadline = time.monotonic() + LOAD_SECONDS
            rounds = 0
            while time.monotonic() < deadline:
                views = [pool.submit(view, server) for server in self.servers * 10]
                counted_views += sum(future.result() == 204 for future in views)
                rounds += 1
            self.assertTrue(all(future.result() == 204 for future in beacons))

        self.assertEqual(counted_views, rounds * 20)
        self.assertEqual(
            DailyArticleViews.objects.filter(article=article).aggregate(Sum("views"))[
                "views__sum"
            ],
            counted_views,
        )
        served = EventCount.objects.filter(event=AdEvent.SERVED, creative=creative)
        totals = dict(
            served.values("reason")
            .annotate(total=Sum("count"))
            .values_list("reason", "total")
        )
        self.assertEqual(
            totals, {CountReason.COUNTED: AD_TOKENS, CountReason.REPEAT: AD_TOKENS}
        )
