"""Two processes writing to the SQLite file at once (the default set-up:
`make run`'s server and its worker, or two gunicorn workers) wait for each
other instead of failing."""

import tempfile
import threading
import time
from pathlib import Path

from django.db import connection, connections
from django.test import TestCase

# Long enough that both transactions have read before either writes.
OVERLAP_SECONDS = 0.3


class SqliteWritersTests(TestCase):
    def setUp(self):
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL locks rows, not the whole database")
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        # A file, as outside the tests (the test database lives in memory),
        # with the site's own settings.
        self.settings_dict = {
            **connections.settings["default"],
            "NAME": str(Path(folder.name) / "site.sqlite3"),
        }
        database = self.connect()
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (number integer)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        database.close()

    def connect(self):
        """A connection of its own, as each process has."""
        return connections["default"].__class__(self.settings_dict, alias="site")

    def add_one(self, errors):
        """Read, then write, in one transaction opened as atomic() opens it."""
        database = self.connect()
        try:
            database.set_autocommit(
                False, force_begin_transaction_with_broken_autocommit=True
            )
            with database.cursor() as cursor:
                cursor.execute("SELECT number FROM counter")
                (number,) = cursor.fetchone()
                time.sleep(OVERLAP_SECONDS)
                cursor.execute("UPDATE counter SET number = %s", [number + 1])
            database.commit()
        except Exception as error:
            errors.append(error)
        finally:
            database.close()

    def test_two_transactions_that_read_then_write_both_count(self):
        errors = []
        writers = [
            threading.Thread(target=self.add_one, args=(errors,)) for _ in range(2)
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()

        # Begun as readers, both held a lock the other's write waited for,
        # until one gave up with "database is locked".
        self.assertEqual(errors, [])
        database = self.connect()
        with database.cursor() as cursor:
            cursor.execute("SELECT number FROM counter")
            self.assertEqual(cursor.fetchone(), (2,))
        database.close()
