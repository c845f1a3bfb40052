"""Measure the reader's pages on archives of different sizes.

Without options, measures the current database. With --database-url
(given once per archive), runs itself once for each database and prints
one table with a column pair per archive, so that pages which get slower
as the archive grows stand out. Each figure is a request through the whole
Django stack (middleware, view, templates) with the test client: the SQL
query count of one request and the median time of several.
"""

import json
import os
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
)
from django.urls import reverse

from articles.models import Article, Author, Section, Tag, TaggedArticle
from articles.pagination import OLDER, encode_cursor
from articles.views import ARTICLES_PER_PAGE
from devtools.management.commands.bench_article_page import measure
from recommendations.lists import recommendations_for

SEARCH_WORDS = "Hafenfest"


class Command(BaseCommand):
    help = "Misst Abfragen und Zeiten der Leserseiten je Archivgröße."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=15)
        parser.add_argument(
            "--database-url",
            action="append",
            default=[],
            help="Ein Archiv je Angabe; ohne: die eingestellte Datenbank.",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Für --database-url."
        )

    def handle(self, *args, requests, database_url, as_json, **options):
        if database_url:
            columns = [self.run_on(url, requests) for url in database_url]
        else:
            columns = [self.measure_all(requests)]
        if as_json:
            self.stdout.write(json.dumps(columns[0]))
        else:
            self.print_table(columns, requests)

    def run_on(self, url, requests):
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "bench_size",
            "--json",
            f"--requests={requests}",
        ]
        done = subprocess.run(
            command,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise CommandError(f"{url}: {done.stderr.strip()}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # Each page is measured as rendered, not as served from the page cache.
    @override_settings(PAGE_CACHE_SECONDS=0)
    def measure_all(self, requests):
        article = (
            Article.objects.published()
            .filter(related_entries__isnull=False)
            .order_by("-published_at")
            .select_related("section")
            .distinct()[100:101]
            .first()
            or Article.objects.published().select_related("section").first()
        )
        if article is None:
            raise CommandError("Keine Artikel: erst generate_archive ausführen.")
        section = max(
            Section.objects.top_level(),
            key=lambda s: Article.objects.published().in_section(s).count(),
        )
        section_url = section.get_absolute_url()
        oldest = list(
            Article.objects.published()
            .in_section(section)
            .order_by("published_at", "pk")[: ARTICLES_PER_PAGE + 1]
        )
        tag = Tag.objects.get(
            pk=TaggedArticle.objects.values("tag_id")
            .annotate(uses=Count("id"))
            .order_by("-uses")
            .values("tag_id")[:1]
        )
        author = max(Author.objects.all(), key=lambda a: a.articles.count())
        pages = [
            ("Artikel", article.get_absolute_url()),
            ("Startseite", reverse("articles:front_page")),
            ("Ressort, erste Seite", section_url),
            (
                "Ressort, letzte Seite",
                f"{section_url}?{OLDER}={encode_cursor(oldest[-1])}"
                if len(oldest) > ARTICLES_PER_PAGE
                else section_url,
            ),
            ("Thema (häufigstes)", tag.get_absolute_url()),
            ("Autor/in (häufigste)", author.get_absolute_url()),
            ("Suche", f"{reverse('articles:search')}?q={SEARCH_WORDS}"),
        ]
        try:
            setup_test_environment()
        except RuntimeError:
            pass  # Already set up: called from a test.
        client = Client()
        results = {
            "articles": Article.objects.published().count(),
            "rows": [],
        }
        for name, url in pages:
            results["rows"].append((name, *self.measure_page(client, url, requests)))
        results["rows"].append(
            ("Empfehlungsblock", *self.measure_related(article, requests))
        )
        return results

    def measure_page(self, client, url, requests):
        query_count, timings = measure(client, url, requests)
        return query_count, statistics.median(timings)

    def measure_related(self, article, requests):
        with CaptureQueriesContext(connection) as captured:
            recommendations_for(article)
        query_count = len(captured)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            recommendations_for(article)
            timings.append((time.perf_counter() - started) * 1000)
        return query_count, statistics.median(timings)

    def print_table(self, columns, requests):
        header = "| Seite | " + " | ".join(
            f"{column['articles']:,} Artikel: Abfragen | Median ms".replace(",", ".")
            for column in columns
        )
        self.stdout.write(header + " |")
        self.stdout.write("|---|" + "---:|---:|" * len(columns))
        for number, row in enumerate(columns[0]["rows"]):
            cells = []
            for column in columns:
                _, queries, median = column["rows"][number]
                cells += [str(queries), f"{median:.1f}"]
            self.stdout.write(f"| {row[0]} | " + " | ".join(cells) + " |")
        self.stdout.write(f"\n(Median aus {requests} Anfragen je Seite)")
