import threading
import unittest

from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from ads.counting import issue_token
from ads.models import AdEvent, CountReason, EventCount
from tests.ads.test_views import BROWSER
from tests.factories import make_creative, make_slot

PARALLEL = 50


def send_together(tokens):
    """POST one beacon per token from parallel threads, released at once."""
    barrier = threading.Barrier(len(tokens))
    statuses = []

    def send(token):
        client = Client(HTTP_USER_AGENT=BROWSER)
        try:
            barrier.wait()
            statuses.append(
                client.post(reverse("ads:beacon"), {"served": token}).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


class ParallelBeaconTests(TransactionTestCase):
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
        cache.clear()
        self.slot = make_slot(key="header")
        self.creative = make_creative(slot=self.slot)

    def counted(self):
        return sum(
            EventCount.objects.filter(
                event=AdEvent.SERVED, reason=CountReason.COUNTED
            ).values_list("count", flat=True)
        )

    def test_fifty_identical_beacons_count_exactly_once(self):
        token = issue_token(self.creative.pk, self.slot.pk)

        statuses = send_together([token] * PARALLEL)

        self.assertEqual(statuses, [204] * PARALLEL)
        self.assertEqual(self.counted(), 1)
        self.assertEqual(
            EventCount.objects.get(reason=CountReason.REPEAT).count, PARALLEL - 1
        )

    def test_fifty_distinct_beacons_count_exactly_fifty(self):
        tokens = [issue_token(self.creative.pk, self.slot.pk) for _ in range(PARALLEL)]

        statuses = send_together(tokens)

        self.assertEqual(statuses, [204] * PARALLEL)
        self.assertEqual(self.counted(), PARALLEL)
        self.assertEqual(EventCount.objects.count(), 1)
