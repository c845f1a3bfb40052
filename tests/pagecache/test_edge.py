import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db import transaction
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from jobs.models import Job
from pagecache import edge
from pagecache.dependencies import touch
from pagecache.jobs import purge_at_edge
from tests.factories import make_article, make_section
from tests.job_backends import IN_THE_DATABASE, run_once

# What deploy/varnish.vcl sends with the requests whose answers it keeps.
SHARED_COPY = {"HTTP_X_NEWSROOM_SHARED_COPY": "1"}


class FakeVarnish:
    """Records the purges it gets, answering each with `status`."""

    def __init__(self, status=200):
        self.purges = []
        varnish = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                varnish.purges.append(self.headers["xkey-purge"])
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class KeyHeaderTests(SimpleTestCase):
    def test_readable_keys_go_out_as_they_are(self):
        value = edge.header_value(["page:*", "article:12", "list:tag:wahl"], set())

        self.assertEqual(value, "article:12 list:tag:wahl page:*")

    def test_keys_with_other_characters_are_hashed_alike_for_page_and_purge(self):
        name = "list:section:news/politik/straßenbau"

        self.assertRegex(edge.edge_key(name), r"^#[0-9a-f]{18}$")
        self.assertEqual(edge.edge_key(name), edge.edge_key(name))

    def test_a_kind_with_too_many_rows_gives_way_to_its_every_row_key(self):
        keys = ["page:*", "section:1", *(f"article:{pk}" for pk in range(400))]

        value = edge.header_value(keys, {"article", "section"})

        self.assertEqual(value, "article:* page:* section:1")

    def test_a_page_whose_lists_do_not_fit_stays_out_of_shared_caches(self):
        keys = [f"list:tag:schlagwort-{number}" for number in range(300)]

        self.assertIsNone(edge.header_value(keys, {"article"}))


@override_settings(ALLOWED_HOSTS=["testserver"])
class SharedCacheHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(section=make_section(name="Hafen", slug="hafen"))

    def test_a_page_for_a_shared_cache_names_what_it_shows(self):
        response = self.client.get(self.article.get_absolute_url(), **SHARED_COPY)

        keys = response["xkey"].split()
        self.assertIn(f"article:{self.article.pk}", keys)
        self.assertIn("eilmeldung", keys)
        self.assertEqual(response["Surrogate-Key"], response["xkey"])

    def test_a_cached_copy_names_the_same_keys(self):
        url = self.article.get_absolute_url()
        first = self.client.get(url, **SHARED_COPY)

        second = self.client.get(url, **SHARED_COPY)

        self.assertEqual(second["X-Cache"], "HIT")
        self.assertEqual(second["xkey"], first["xkey"])

    def test_readers_asking_directly_get_no_keys(self):
        response = self.client.get(self.article.get_absolute_url())

        self.assertFalse(response.has_header("xkey"))
        self.assertFalse(response.has_header("Surrogate-Control"))

    def test_without_purges_shared_caches_keep_pages_for_s_maxage_only(self):
        response = self.client.get(self.article.get_absolute_url(), **SHARED_COPY)

        self.assertFalse(response.has_header("Surrogate-Control"))

    @override_settings(VARNISH_PURGE_URLS=["http://127.0.0.1:9"], PAGE_CACHE_SECONDS=60)
    def test_a_purged_varnish_keeps_pages_as_long_as_the_page_cache(self):
        response = self.client.get(self.article.get_absolute_url(), **SHARED_COPY)

        self.assertEqual(
            response["Surrogate-Control"], "max-age=60, stale-while-revalidate=5"
        )
        self.assertIn("s-maxage=1", response["Cache-Control"])

    @override_settings(VARNISH_PURGE_URLS=["http://127.0.0.1:9"], PAGE_CACHE_SECONDS=60)
    def test_a_purged_varnish_keeps_no_page_past_the_next_scheduled_change(self):
        make_article(published_at=timezone.now() + timedelta(seconds=20))

        response = self.client.get(reverse("articles:front_page"), **SHARED_COPY)

        fresh, stale = map(int, re.findall(r"=(\d+)", response["Surrogate-Control"]))
        self.assertGreater(fresh, 0)
        self.assertLessEqual(fresh + stale, 20)


class PurgeTests(TestCase):
    def setUp(self):
        self.varnish = FakeVarnish()
        self.addCleanup(self.varnish.close)

    def test_a_change_purges_its_keys_once_it_has_committed(self):
        with override_settings(VARNISH_PURGE_URLS=[self.varnish.url]):
            with self.captureOnCommitCallbacks() as after_commit:
                touch(["article:7", "list:tag:wahl"])
            purged_before_commit = list(self.varnish.purges)
            for callback in after_commit:
                callback()

        self.assertEqual(purged_before_commit, [])
        self.assertEqual(self.varnish.purges[0], "article:* article:7 list:tag:wahl")

    def test_many_keys_go_in_pieces_under_the_header_limit(self):
        keys = [f"list:tag:schlagwort-{number}" for number in range(300)]

        with override_settings(VARNISH_PURGE_URLS=[self.varnish.url]):
            edge.purge(keys)

        self.assertGreater(len(self.varnish.purges), 1)
        self.assertTrue(
            all(len(value) <= edge.MAX_HEADER_LENGTH for value in self.varnish.purges)
        )
        self.assertEqual(sorted(" ".join(self.varnish.purges).split()), sorted(keys))

    def test_an_unreachable_varnish_is_logged_and_the_others_still_purged(self):
        with override_settings(
            VARNISH_PURGE_URLS=["http://127.0.0.1:9", self.varnish.url],
            VARNISH_PURGE_TIMEOUT=0.5,
        ):
            with self.assertLogs("pagecache.edge", "WARNING") as logs:
                with self.assertRaisesMessage(edge.PurgeFailed, "127.0.0.1:9"):
                    edge.purge(["article:7"])

        self.assertIn("nicht erreichbar", logs.output[0])
        self.assertEqual(self.varnish.purges, ["article:7"])

    def test_a_refused_purge_is_logged(self):
        refusing = FakeVarnish(status=405)
        self.addCleanup(refusing.close)

        with override_settings(VARNISH_PURGE_URLS=[refusing.url]):
            with self.assertLogs("pagecache.edge", "WARNING") as logs:
                with self.assertRaises(edge.PurgeFailed):
                    edge.purge(["article:7"])

        self.assertIn("405", logs.output[0])

    def test_an_editors_save_succeeds_while_varnish_is_down(self):
        article = make_article(headline="Alte Zeile")

        with override_settings(
            VARNISH_PURGE_URLS=["http://127.0.0.1:9"], VARNISH_PURGE_TIMEOUT=0.5
        ):
            with self.assertLogs("pagecache.edge", "WARNING"):
                with self.captureOnCommitCallbacks(execute=True):
                    article.headline = "Neue Zeile"
                    article.save()

        article.refresh_from_db()
        self.assertEqual(article.headline, "Neue Zeile")


@override_settings(TASKS=IN_THE_DATABASE, VARNISH_PURGE_REPEAT=2)
class PurgeJobTests(TestCase):
    """The request only enqueues: the worker of the edge queue purges."""

    def setUp(self):
        self.varnish = FakeVarnish()
        self.addCleanup(self.varnish.close)

    def change(self, *key_lists, purge_urls=None):
        urls = [self.varnish.url] if purge_urls is None else purge_urls
        with override_settings(VARNISH_PURGE_URLS=urls, VARNISH_PURGE_TIMEOUT=0.5):
            with self.captureOnCommitCallbacks(execute=True):
                for keys in key_lists:
                    touch(keys)
        return list(Job.objects.filter(queue_name="edge").order_by("enqueued_at"))

    def test_a_change_leaves_one_purge_and_its_repeat_to_the_edge_worker(self):
        first, again = self.change(["eilmeldung"], ["article:7"])

        self.assertEqual(self.varnish.purges, [])
        keys = ["article:*", "article:7", "eilmeldung"]
        self.assertEqual(first.args_kwargs["args"], [keys])
        self.assertEqual(again.args_kwargs["args"], [keys])
        self.assertEqual(first.task.func, purge_at_edge.func)
        self.assertEqual(list(Job.objects.ready()), [first])
        delay = (again.run_after - first.enqueued_at).total_seconds()
        self.assertAlmostEqual(delay, 2, delta=0.5)

    def test_a_rolled_back_change_asks_for_no_purge(self):
        with override_settings(VARNISH_PURGE_URLS=[self.varnish.url]):
            with self.assertRaises(RuntimeError), transaction.atomic():
                touch(["article:7"])
                raise RuntimeError

        first, _ = self.change(["eilmeldung"])

        self.assertEqual(first.args_kwargs["args"], [["eilmeldung"]])

    def test_the_worker_sends_the_purge(self):
        first, _ = self.change(["eilmeldung"])

        with override_settings(VARNISH_PURGE_URLS=[self.varnish.url]):
            run_once(first)

        self.assertEqual(first.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(self.varnish.purges, ["eilmeldung"])

    def test_an_unreachable_varnish_fails_the_job_which_runs_again_later(self):
        urls = ["http://127.0.0.1:9", self.varnish.url]
        first, _ = self.change(["eilmeldung"], purge_urls=urls)

        with override_settings(VARNISH_PURGE_URLS=urls, VARNISH_PURGE_TIMEOUT=0.5):
            with self.assertLogs("pagecache.edge", "WARNING") as logs:
                run_once(first)

        self.assertIn("nicht erreichbar", logs.output[0])
        self.assertEqual(self.varnish.purges, ["eilmeldung"])
        self.assertEqual(first.status, TaskResultStatus.READY)
        self.assertGreater(first.run_after, timezone.now())
        self.assertIn("127.0.0.1:9", first.traceback)

    def test_without_purge_addresses_nothing_is_enqueued(self):
        self.assertEqual(self.change(["eilmeldung"], purge_urls=[]), [])
