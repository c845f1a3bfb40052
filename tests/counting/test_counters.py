"""Hourly counters that add one in a single statement."""

import threading
import unittest
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from ads.models import AdEvent, CountReason, EventCount
from counting import tokens
from counting.counters import add_one, hour_bucket
from readership.models import HourlyArticleViews
from tests.factories import make_article, make_creative, make_slot

PARALLEL = 50


class HourBucketTests(TestCase):
    def test_a_moment_falls_into_its_hour_in_utc(self):
        berlin = timezone.get_fixed_timezone(120)

        bucket = hour_bucket(datetime(2026, 3, 29, 3, 30, 12, tzinfo=berlin))

        self.assertEqual(bucket, datetime(2026, 3, 29, 1, 0, tzinfo=UTC))


class AddOneTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article()
        cls.hour = hour_bucket(timezone.now())

    def add(self, article_id=None, hour=None):
        return add_one(
            HourlyArticleViews,
            "views",
            {"article": article_id or self.article.pk, "hour": hour or self.hour},
        )

    def test_the_first_count_creates_the_row_and_the_next_add_to_it(self):
        for _ in range(3):
            self.assertIs(self.add(), True)

        self.assertEqual(HourlyArticleViews.objects.get().views, 3)

    def test_each_hour_has_its_own_row(self):
        self.add()
        self.add(hour=self.hour - timedelta(hours=1))

        self.assertEqual(
            sorted(HourlyArticleViews.objects.values_list("views", flat=True)), [1, 1]
        )

    def test_a_row_for_something_deleted_is_not_counted(self):
        self.assertIs(self.add(article_id=987654), False)

        self.assertFalse(HourlyArticleViews.objects.exists())

    def test_a_partial_unique_constraint_finds_its_row(self):
        slot = make_slot(key="header")
        creative = make_creative(slot=slot)
        key = {"hour": self.hour, "event": AdEvent.SERVED}

        for _ in range(2):
            add_one(
                EventCount,
                "count",
                {**key, "reason": CountReason.INVALID, "creative": None, "slot": None},
                constraint="ads_eventcount_one_unknown_bucket",
            )
            add_one(
                EventCount,
                "count",
                {
                    **key,
                    "reason": CountReason.COUNTED,
                    "creative": creative.pk,
                    "slot": slot.pk,
                },
                constraint="ads_eventcount_one_bucket",
            )

        self.assertEqual(
            sorted(EventCount.objects.values_list("reason", "count")),
            [(CountReason.COUNTED, 2), (CountReason.INVALID, 2)],
        )

    def test_a_key_without_its_unique_constraint_is_refused(self):
        with self.assertRaises(LookupError):
            add_one(HourlyArticleViews, "views", {"article": self.article.pk})


def run_together(work, times=PARALLEL):
    """Call `work()` from parallel threads, released at once; the results."""
    barrier = threading.Barrier(times)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(work())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class ParallelCountingTests(TransactionTestCase):
    """Counting holds under real parallel requests (PostgreSQL only)."""

    # Keeps the migrated data (the roles) for the transactional tests after
    # this one, as tests/browser/base.py does.
    serialized_rollback = True

    def setUp(self):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest(
                "needs PostgreSQL: SQLite runs one writer at a time "
                "(set DATABASE_URL to run it)"
            )

    def test_fifty_counts_into_a_new_hour_add_up_to_fifty(self):
        article = make_article()
        hour = hour_bucket(timezone.now())

        run_together(
            lambda: add_one(
                HourlyArticleViews, "views", {"article": article.pk, "hour": hour}
            )
        )

        self.assertEqual(HourlyArticleViews.objects.get().views, PARALLEL)

    def test_fifty_identical_tokens_are_spent_exactly_once(self):
        ticket = tokens.read_token(
            tokens.issue_token("tests.counting", 7),
            "tests.counting",
            timedelta(hours=1),
        )

        spent = run_together(lambda: tokens.spend(ticket, "view"))

        self.assertEqual(sorted(spent), [False] * (PARALLEL - 1) + [True])
