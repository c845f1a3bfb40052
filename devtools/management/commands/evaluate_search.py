"""Measure the search on German queries with judged results.

    python manage.py evaluate_search

The demo articles and the recommendations' German evaluation articles go
into a temporary database (dropped afterwards; the site's data is never
touched). Each query of the judged list (devtools/corpus/search_queries_de.jsonl:
the query and, per relevant article, a grade: 2 what was sought, 1 related)
is searched as a reader would, and the command prints nDCG@10 and the share
of queries that find nothing.
"""

import io
import json
import math
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from recommendations.evaluation import CorpusError, load, read_corpus
from recommendations.management.commands.evaluate_related import (
    SHIPPED_CORPUS,
    temporary_database,
)

QUERIES = Path(__file__).parents[2] / "corpus" / "search_queries_de.jsonl"
DEMO_CONTENT = (
    Path(__file__).parents[3] / "demo" / "management" / "commands" / "demo_content.json"
)
DEPTH = 10


def read_queries(path):
    """[(query, {article key: grade})]; errors name the line."""
    queries = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                query, relevant = entry["query"], entry["relevant"]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise CommandError(
                    f"Zeile {number}: erwartet wird {{„query“: …, „relevant“: {{…}}}}."
                ) from None
            if not relevant or set(relevant.values()) - {1, 2}:
                raise CommandError(f"Zeile {number}: Noten sind 1 oder 2.")
            queries.append((query, relevant))
    return queries


def ndcg(found, relevant, depth=DEPTH):
    """Normalised discounted cumulative gain of `found` (keys, best first)."""

    def gain(grades):
        return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in grades)

    actual = gain(enumerate(relevant.get(key, 0) for key in found[:depth]))
    ideal = gain(enumerate(sorted(relevant.values(), reverse=True)[:depth]))
    return actual / ideal


class Command(BaseCommand):
    help = (
        "Bewertet die Suche auf deutschen Suchanfragen mit bewerteten Treffern "
        "(nDCG@10, Anteil der Anfragen ohne Treffer) in einer temporären Datenbank."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "queries",
            nargs="?",
            default=str(QUERIES),
            help="Anfragen mit bewerteten Treffern (JSON Lines).",
        )

    def handle(self, *args, queries, verbosity, **options):
        judged = read_queries(queries)
        try:
            with open(SHIPPED_CORPUS, encoding="utf-8") as lines:
                corpus = read_corpus(lines)
        except (OSError, CorpusError) as error:
            raise CommandError(f"Korpus nicht lesbar: {error}") from None
        demo = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))["articles"]
        with temporary_database():
            # The corpus first: the demo content reuses its sections.
            keys = {pk: key for key, pk in load(corpus).items()}
            call_command("load_demo_content", verbosity=0, stdout=io.StringIO())
            keys.update(
                {
                    Article.objects.get(headline=entry["headline"]).pk: entry["key"]
                    for entry in demo
                }
            )
            Article.objects.refresh_search_vectors()
            scores, empty = [], []
            for query, relevant in judged:
                found = [
                    keys.get(pk)
                    for pk in Article.objects.published()
                    .search(query)
                    .values_list("pk", flat=True)[:DEPTH]
                ]
                scores.append(ndcg(found, relevant))
                if not found:
                    empty.append(query)
                if verbosity > 1:
                    self.stdout.write(f"{scores[-1]:6.3f}  {query}  → {found}")
        self.stdout.write(
            f"{len(judged)} Anfragen über {len(keys)} Artikel\n"
            f"nDCG@{DEPTH}: {sum(scores) / len(scores):.3f}\n"
            f"Ohne Treffer: {len(empty) / len(judged):.1%}"
            + (f" ({', '.join(empty)})" if empty else "")
        )
