"""Measure the counting endpoint (beacons per second) on the current database.

Runs through the whole Django stack in this process, like bench_article_page,
with a few threads sending beacons at once. Every beacon carries a fresh
token, so each one takes the full path: check, spend, count. The run books a
throw-away creative in a draft campaign and removes it and its counts again.
"""

import statistics
import threading
import time
from datetime import timedelta
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from django.utils import timezone

from ads.counting import issue_token, read_token
from ads.models import (
    AdSlot,
    Advertiser,
    Campaign,
    CampaignStatus,
    CountReason,
    Creative,
    EventCount,
)
from counting.models import SpentToken

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)


class Command(BaseCommand):
    help = "Misst den Durchsatz des Zähl-Endpunkts (Beacons pro Sekunde)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=10.0)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--tokens-per-beacon",
            type=int,
            default=1,
            help="Anzeigen je Beacon (eine Seite schickt alle auf einmal).",
        )

    def handle(self, *args, seconds, threads, tokens_per_beacon, **options):
        setup_test_environment()
        creative, slot = self.book()
        nonces = []
        try:
            # One office address sends everything here; readers are spread out.
            with mock.patch("ads.counting.RATE_LIMIT_EVENTS", 10**9):
                timings, beacons = self.run(
                    creative, slot, seconds, threads, tokens_per_beacon, nonces
                )
            counted = sum(
                EventCount.objects.filter(
                    creative=creative, reason=CountReason.COUNTED
                ).values_list("count", flat=True)
            )
        finally:
            self.remove(creative, nonces)
        elapsed = seconds
        p95 = (
            statistics.quantiles(timings, n=20)[-1]
            if len(timings) > 20
            else max(timings)
        )
        self.stdout.write(
            f"Datenbank: {connection.vendor}, {threads} Threads, {seconds:g} s, "
            f"{tokens_per_beacon} Token je Beacon\n"
            f"Beacons: {beacons} ({beacons / elapsed:.0f}/s), "
            f"Ereignisse gezählt: {counted} ({counted / elapsed:.0f}/s)\n"
            f"Antwortzeit je Beacon: Median {statistics.median(timings):.2f} ms, "
            f"p95 {p95:.2f} ms"
        )

    @transaction.atomic
    def book(self):
        slot = AdSlot.objects.create(key="lasttest", name="Lasttest", width=1, height=1)
        campaign = Campaign.objects.create(
            advertiser=Advertiser.objects.create(name="Lasttest (wird gelöscht)"),
            name="Lasttest",
            status=CampaignStatus.DRAFT,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
        )
        creative = Creative.objects.create(
            campaign=campaign,
            name="Lasttest",
            image="ads/lasttest.png",
            image_width=1,
            image_height=1,
            alt_text="Lasttest",
            target_url="https://example.org/",
        )
        return creative, slot

    def run(self, creative, slot, seconds, threads, tokens_per_beacon, nonces):
        url = reverse("ads:beacon")
        deadline = time.perf_counter() + seconds
        timings, lock = [], threading.Lock()

        def send():
            client = Client(HTTP_USER_AGENT=BROWSER)
            own, spent = [], []
            try:
                while time.perf_counter() < deadline:
                    tokens = [
                        issue_token(creative.pk, slot.pk)
                        for _ in range(tokens_per_beacon)
                    ]
                    spent.extend(read_token(token).nonce for token in tokens)
                    started = time.perf_counter()
                    response = client.post(url, {"served": tokens})
                    own.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 204, response.status_code
            finally:
                connection.close()
                with lock:
                    timings.extend(own)
                    nonces.extend(spent)

        workers = [threading.Thread(target=send) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return timings, len(timings)

    def remove(self, creative, nonces):
        campaign = creative.campaign
        slot = AdSlot.objects.get(key="lasttest")
        EventCount.objects.filter(creative=creative).delete()
        for start in range(0, len(nonces), 500):
            SpentToken.objects.filter(nonce__in=nonces[start : start + 500]).delete()
        creative.delete()
        campaign.delete()
        campaign.advertiser.delete()
        slot.delete()
