"""While the database is down, readers and editors get the German 503 page."""

from contextlib import contextmanager

from django.db import OperationalError, connection
from django.test import TestCase
from django.urls import reverse

from ads.delivery import forget_snapshot
from operations.logging import DatabaseOutageInOneLine
from tests.factories import article_form_data, make_article, make_editor


def refuse(execute, sql, params, many, context):
    raise OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )


@contextmanager
def database_down():
    """Every query fails the way it does when PostgreSQL has stopped."""
    with connection.execute_wrapper(refuse):
        yield


class DatabaseOutageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Hafen bekommt neue Kräne")

    def setUp(self):
        self.client.raise_request_exception = False

    def test_readers_get_the_german_503_page_without_a_traceback(self):
        for url in (
            reverse("articles:front_page"),
            self.article.get_absolute_url(),
            reverse("articles:search") + "?q=Hafen",
        ):
            with self.subTest(url=url), database_down():
                response = self.client.get(url)

            self.assertContains(
                response, "vorübergehend nicht erreichbar", status_code=503
            )
            self.assertNotContains(response, "Traceback", status_code=503)
            self.assertNotContains(response, "Connection refused", status_code=503)

    def test_the_503_page_asks_to_come_back_and_is_never_stored(self):
        with database_down():
            response = self.client.get(self.article.get_absolute_url())

        self.assertEqual(response["Retry-After"], "15")
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_a_save_during_the_outage_says_it_did_not_happen(self):
        self.client.force_login(make_editor())
        url = reverse("admin:articles_article_change", args=[self.article.pk])
        data = article_form_data(self.article, headline="Hafen ohne Kräne")

        with database_down():
            response = self.client.post(url, data)

        self.assertContains(
            response, "Ihre Änderungen wurden nicht gespeichert", status_code=503
        )
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Hafen bekommt neue Kräne")

    def test_the_site_answers_again_once_the_database_is_back(self):
        with database_down():
            self.client.get(self.article.get_absolute_url())

        response = self.client.get(self.article.get_absolute_url())

        self.assertContains(response, "Hafen bekommt neue Kräne")

    def test_a_page_in_the_page_cache_is_still_served(self):
        url = self.article.get_absolute_url()
        self.client.get(url)
        forget_snapshot()  # the ads can't be read either

        with database_down():
            response = self.client.get(url)

        self.assertContains(response, "Hafen bekommt neue Kräne")
        self.assertEqual(response["X-Cache"], "STALE")
        self.assertIn("no-store", response["Cache-Control"])

    def test_other_errors_still_get_the_500_page(self):
        with connection.execute_wrapper(self.fail_with_a_bug):
            response = self.client.get(self.article.get_absolute_url())

        self.assertContains(response, "schiefgegangen", status_code=500)

    @staticmethod
    def fail_with_a_bug(execute, sql, params, many, context):
        raise ZeroDivisionError


class OutageLoggingTests(TestCase):
    def test_each_failed_request_is_one_line_in_the_log(self):
        self.client.raise_request_exception = False
        article = make_article()

        with self.assertLogs("django.request", "ERROR") as logs, database_down():
            self.client.get(article.get_absolute_url())

        record = logs.records[0]
        DatabaseOutageInOneLine().filter(record)
        self.assertIsNone(record.exc_info)
        self.assertIn("Datenbank nicht erreichbar: connection to server", record.msg)
