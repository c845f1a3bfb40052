"""Measure the reader's pages on the current database (``make bench-render``).

Prints the SQL query count and the server-side time per request, as median
and 95th percentile over repeated requests through the whole Django stack
(middleware, view, templates), without network or web server. Each request
asks for a new address, as `make bench` does for a cache miss: the page is
rendered and not kept, its stored parts (pagecache.fragments) as warm as
after the page has dropped out of the cache. `--profile` prints where the
article page's renders spend their time (cProfile).
"""

import cProfile
import io
import itertools
import pstats
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from articles.models import Article, Section, Tag


class Command(BaseCommand):
    help = "Misst Abfragen und Renderzeit der Leserseiten (Artikel, Start, Ressort, Thema)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument(
            "--profile",
            type=int,
            metavar="ZEILEN",
            help="die Artikelseite mit cProfile messen und so viele Zeilen zeigen",
        )

    def handle(self, *args, requests, profile, **options):
        article = (
            Article.objects.published()
            .select_related("section")
            .filter(topic_boxes__isnull=False)
            .first()
        )
        if article is None:
            raise CommandError("Keine Artikel: erst 'make demo' ausführen.")
        setup_test_environment()
        client = Client()
        pages = [
            ("Artikel", article.get_absolute_url()),
            ("Startseite", reverse("articles:front_page")),
            ("Ressort", Section.objects.top_level().first().get_absolute_url()),
            ("Thema", article.tags.first().get_absolute_url()),
        ]
        self.stdout.write(
            f"{'Seite':<12}{'Abfragen':>9}{'Median ms':>11}{'p95 ms':>9}  Adresse "
            f"({requests} Anfragen je Seite, {Tag.objects.count()} Schlagwörter)"
        )
        if profile:
            self.profile(client, pages[0][1], requests, profile)
            return
        for name, url in pages:
            queries, timings = measure(client, url, requests)
            p95 = statistics.quantiles(timings, n=20)[-1]
            self.stdout.write(
                f"{name:<12}{queries:>9}{statistics.median(timings):>11.2f}{p95:>9.2f}  {url}"
            )

    def profile(self, client, url, requests, lines):
        addresses = new_addresses(url)
        client.get(next(addresses))
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [client.get(next(addresses)) for _ in range(requests)])
        # pstats writes a line in pieces; the command's stdout ends each write.
        report = io.StringIO()
        stats = pstats.Stats(profiler, stream=report)
        stats.sort_stats("cumulative").print_stats(lines)
        self.stdout.write(report.getvalue())


def new_addresses(url):
    """`url` with a parameter no page reads, new each time."""
    joiner = "&" if "?" in url else "?"
    return (f"{url}{joiner}neu={number}" for number in itertools.count())


def measure(client, url, requests):
    """The page's query count with warm caches, and `requests` timings in ms."""
    addresses = new_addresses(url)
    # Once first: caches filled on first use (the running ad campaigns)
    # are warm for almost every reader, so they are for the count too.
    client.get(next(addresses))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(next(addresses))
    # Read now: the captured list is a view on a log each request resets.
    query_count = len(captured)
    if response.status_code != 200:
        raise CommandError(f"{url} antwortet mit {response.status_code}.")
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(next(addresses))
        timings.append((time.perf_counter() - started) * 1000)
    return query_count, timings
