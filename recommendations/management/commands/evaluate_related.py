"""Measure „Das könnte Sie auch interessieren“ against two baselines.

    python manage.py evaluate_related recommendations/corpus/related_evaluation_de.jsonl

The corpus goes into a temporary database (a test database next to the
configured one), which is dropped afterwards; the site's data is never
touched.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from recommendations.evaluation import (
    CorpusError,
    best_precision,
    evaluate,
    read_corpus,
)

SHIPPED_CORPUS = Path(__file__).parents[2] / "corpus" / "related_evaluation_de.jsonl"


class Command(BaseCommand):
    help = (
        "Bewertet die Empfehlungen auf einem Korpus (JSON Lines) in einer "
        "temporären Datenbank: Precision@5, nDCG@5, Abdeckung, mit Vergleichsverfahren."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "corpus",
            nargs="?",
            default=str(SHIPPED_CORPUS),
            help="Korpusdatei (Standard: der mitgelieferte deutsche Korpus).",
        )

    def handle(self, *args, corpus, **options):
        try:
            with open(corpus, encoding="utf-8") as lines:
                data = read_corpus(lines)
        except OSError as error:
            raise CommandError(f"Korpus nicht lesbar: {error}") from None
        except CorpusError as error:
            raise CommandError(str(error)) from None
        with temporary_database():
            results = evaluate(data)
        judged = "bewertete Paare" if data.grades else "Paare aus den Labels"
        self.stdout.write(
            f"{len(data.articles)} Artikel, {len({a['label'] for a in data.articles})} "
            f"Geschichten, {len(data.grades)} {judged}\n"
        )
        self.stdout.write(
            f"{'Verfahren':<36}{'P@5':>7}{'nDCG@5':>9}{'volle Liste':>13}{'Katalog':>10}"
        )
        for result in results:
            self.stdout.write(
                f"{result.name:<36}{result.precision:>7.3f}{result.ndcg:>9.3f}"
                f"{result.coverage:>12.0%}{result.catalog:>10.0%}"
            )
        self.stdout.write(
            f"\nHöchstmögliche P@5 bei diesen Geschichten: {best_precision(data):.3f}. "
            "Volle Liste: Anteil der Artikel mit 5 Empfehlungen; Katalog: Anteil "
            "der Artikel, die irgendwo empfohlen werden."
        )


class temporary_database:
    """A fresh, migrated test database for the duration of the block."""

    def __enter__(self):
        settings = connection.settings_dict
        self.old_name = settings["NAME"]
        self.old_test_name = settings["TEST"].get("NAME")
        if connection.vendor != "sqlite":
            # Never the name a test run may be using at the same time.
            settings["TEST"]["NAME"] = f"{self.old_name}_bewertung_{os.getpid()}"
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )

    def __exit__(self, *exc_info):
        connection.creation.destroy_test_db(self.old_name, verbosity=0)
        connection.settings_dict["TEST"]["NAME"] = self.old_test_name
