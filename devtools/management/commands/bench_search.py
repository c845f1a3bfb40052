"""Time the search page's SQL inside the database (PostgreSQL).

Each search is requested once through the whole Django stack to capture the
queries the page runs (results, their count, "Meinten Sie …?"); each query is
then run again under EXPLAIN ANALYZE, and the planning and execution times
the server reports are added up per search. Times inside the database do
not include Python, the network or the template, so they stay comparable on
a busy machine far better than wall time; the median over --repeat runs is
printed. Meant for an archive made by `generate_archive`.
"""

import json
import re
import statistics
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from articles.models import Article

# Words of the generated archive: frequent and rare words, a compound's
# part, a word without its umlaut, frequent phrases (in about 7 % and 5 %
# of the articles, both words in most), a phrase of three words with a
# stopword (0.4 %), a rare one (its words everywhere, in this order a few
# times), one around a stopword, a typo and a miss.
SEARCHES = [
    "Bürgermeisterin",
    "Bürgermeister",
    "Buergermeisterin",
    "Hafenfest",
    "Kläranlage Ausschuss",
    "Wahl",
    '"deutlicher Mehrheit"',
    '"Kläranlage eröffnet"',
    '"Gemeinde beschließt den großen"',
    '"Bericht der zuständigen Stelle"',
    '"Kosten im Frühjahr"',
    "Klaeranlage",
    "Bibliotehk",
    "Zeppelinwerft",
]
GOAL_MS = 50
# The queries of the search itself, apart from navigation, ads and banner.
SEARCH_TABLES = re.compile(r"search_vector|articles_searchword")


class Command(BaseCommand):
    help = "Misst die Suchabfragen in der Datenbank (PostgreSQL, EXPLAIN ANALYZE)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("search", nargs="*", help="Statt der eingebauten Liste.")

    def handle(self, *args, repeat, search, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Nur auf PostgreSQL (DATABASE_URL=postgres://…).")
        setup_test_environment()
        total = Article.objects.published().count()
        self.stdout.write(f"{total:,} veröffentlichte Artikel".replace(",", "."))
        self.stdout.write(
            f"{'Suche':<34} {'Treffer':>8} {'Suchabfragen':>13} {'ms':>7}"
            f" {'ganze Seite':>12} {'ms':>7}"
        )
        worst = 0.0
        for text in search or SEARCHES:
            queries, hits = self.page_queries(text)
            searching = [sql for sql in queries if SEARCH_TABLES.search(sql)]
            search_ms = statistics.median(
                self.database_ms(searching) for _ in range(repeat)
            )
            page_ms = statistics.median(
                self.database_ms(queries) for _ in range(repeat)
            )
            worst = max(worst, search_ms)
            self.stdout.write(
                f"{text:<34} {hits:>8} {len(searching):>13} {search_ms:>7.1f}"
                f" {len(queries):>12} {page_ms:>7.1f}"
            )
        verdict = "eingehalten" if worst <= GOAL_MS else "verfehlt"
        self.stdout.write(
            f"Langsamste Suche {worst:.1f} ms; Ziel ≤ {GOAL_MS} ms {verdict}."
        )

    def page_queries(self, text):
        url = f"{reverse('articles:search')}?{urlencode({'q': text})}"
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(url)
        if response.status_code != 200:
            raise CommandError(f"{url}: HTTP {response.status_code}")
        paginator = response.context["paginator"]
        queries = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].lstrip().upper().startswith("SELECT")
        ]
        return queries, paginator.count

    def database_ms(self, queries):
        spent = 0.0
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                spent += plan[0]["Planning Time"] + plan[0]["Execution Time"]
        return spent
