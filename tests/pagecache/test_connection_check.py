"""A page from the cache asks PostgreSQL one thing: its freshness check,
which also tells whether the connection still works."""

import unittest
from unittest import mock

import psycopg
from django.db import close_old_connections, connection
from django.test import TransactionTestCase, override_settings

from tests.factories import make_article
from tests.pagecache.readers import HOST

on_postgresql = unittest.skipUnless(
    connection.vendor == "postgresql",
    "Django's connection check is a statement only on PostgreSQL "
    "(run in CI's PostgreSQL pass)",
)


def statements_sent():
    """A mock counting every statement psycopg sends, Django's own connection
    check (which bypasses Django's query log) included."""
    return mock.patch.object(
        psycopg.Cursor, "execute", autospec=True, side_effect=psycopg.Cursor.execute
    )


@on_postgresql
@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class ConnectionCheckTests(TransactionTestCase):
    # Outside a transaction, as Django checks connections only there; the
    # rows migrations made (content types, roles) come back for the tests
    # after it.
    serialized_rollback = True

    def setUp(self):
        self.url = make_article().get_absolute_url()
        self.assertEqual(self.client.get(self.url)["X-Cache"], "MISS")

    def next_request(self):
        """What Django does as a request starts (the test client leaves it
        out): the connection is to be checked before its next statement."""
        close_old_connections()

    def test_a_page_from_the_cache_sends_one_statement_and_no_connection_check(self):
        self.next_request()

        with statements_sent() as execute:
            response = self.client.get(self.url)

        self.assertEqual(response["X-Cache"], "HIT")
        self.assertEqual(execute.call_count, 1)
        self.assertNotIn("SELECT 1", str(execute.call_args))

    def test_a_connection_that_died_while_idle_is_replaced_without_an_error(self):
        with connection.cursor() as cursor:
            pid = cursor.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params()) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        self.next_request()

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Cache"], "HIT")
        with connection.cursor() as cursor:
            self.assertNotEqual(cursor.connection.info.backend_pid, pid)
