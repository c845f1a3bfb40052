"""Measure „Das könnte Sie auch interessieren“ against the baselines.

    python manage.py evaluate_related [CORPUS.jsonl ...] [--cross-validate]

Without a corpus: the shipped German one. Each corpus goes into a temporary
database (a test database next to the configured one), which is dropped
afterwards; the site's data is never touched. With --cross-validate the
candidate settings (recommendations.evaluation.CANDIDATES) are compared on
one half of every corpus's articles, and the chosen one is reported on the
other half, and the other way round.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from recommendations.evaluation import (
    CANDIDATES,
    OURS,
    CorpusError,
    best_precision,
    cross_validate,
    differences,
    half,
    measure_lists,
    ranked_lists,
    read_corpus,
)

SHIPPED_CORPUS = Path(__file__).parents[2] / "corpus" / "related_evaluation_de.jsonl"
BASELINE = "TF-IDF im Ressort"
SUMMARY = (BASELINE, "TF-IDF (alle Ressorts)", "Neueste im Ressort")


class Command(BaseCommand):
    help = (
        "Bewertet die Empfehlungen auf Korpora (JSON Lines) in einer temporären "
        "Datenbank: Precision@5, nDCG@5, volle Listen, mit Vergleichsverfahren."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "corpora",
            nargs="*",
            default=[str(SHIPPED_CORPUS)],
            help="Korpusdateien (Standard: der mitgelieferte deutsche Korpus).",
        )
        parser.add_argument(
            "--cross-validate",
            action="store_true",
            help="Einstellungen auf einer Hälfte wählen, auf der anderen berichten.",
        )

    def handle(self, *args, corpora, cross_validate, **options):
        loaded = {}
        for path in corpora:
            try:
                with open(path, encoding="utf-8") as lines:
                    loaded[Path(path).stem] = read_corpus(lines)
            except OSError as error:
                raise CommandError(f"Korpus nicht lesbar: {error}") from None
            except CorpusError as error:
                raise CommandError(f"{path}: {error}") from None
        configs = CANDIDATES if cross_validate else None
        lists = {}
        for name, corpus in loaded.items():
            with temporary_database():
                lists[name] = ranked_lists(corpus, configs)
        summary = {}
        for name, corpus in loaded.items():
            results = measure_lists(corpus, lists[name])
            self.table(name, corpus, results)
            summary[name] = results
        if cross_validate:
            self.cross_validated(loaded, lists)
        else:
            self.summary("Alle Artikel", summary)
            self.differences(
                {name: (loaded[name], lists[name], OURS, None) for name in loaded}
            )

    def table(self, name, corpus, results):
        judged = "bewertete Paare" if corpus.grades else "Paare aus den Labels"
        self.stdout.write(
            f"\n{name}: {len(corpus.articles)} Artikel, "
            f"{len(set().union(*(a['label'] for a in corpus.articles)))} Labels, "
            f"{len(corpus.grades)} {judged}"
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
            f"Höchstmögliche P@5 bei diesen Labels: {best_precision(corpus):.3f}"
        )

    def summary(self, title, by_corpus):
        """One row per corpus: P@5 / nDCG@5 / share of full lists."""
        self.stdout.write(f"\n{title} (je Verfahren: P@5 / nDCG@5 / volle Listen)")
        self.stdout.write(
            f"{'Korpus':<28}"
            + "".join(f"{name:>26}" for name in ("Newsroom", *SUMMARY))
        )
        for corpus_name, results in by_corpus.items():
            found = {result.name: result for result in results}
            row = [found.get(OURS) or results[0]] + [found[name] for name in SUMMARY]
            self.stdout.write(
                f"{corpus_name:<28}"
                + "".join(
                    f"{r.precision:>11.3f} /{r.ndcg:>6.3f} /{r.coverage:>5.0%}"
                    for r in row
                )
            )

    def cross_validated(self, loaded, lists):
        for chosen_on, reported_on, choice, by_corpus in cross_validate(loaded, lists):
            self.stdout.write(
                f"\nGewählt auf Hälfte {chosen_on}: „{choice}“ ({CANDIDATES[choice]})"
            )
            self.summary(f"Berichtet auf Hälfte {reported_on}", by_corpus)
            chosen = {name: lists[name] | {OURS: lists[name][choice]} for name in lists}
            self.differences(
                {
                    name: (corpus, chosen[name], OURS, half(corpus, reported_on))
                    for name, corpus in loaded.items()
                }
            )

    def differences(self, by_corpus):
        """Ours minus TF-IDF in the Ressort, with the interval that says
        whether the corpus can tell the two apart."""
        self.stdout.write(
            f"\n{OURS} − {BASELINE} (95-%-Intervall, Bootstrap über die Artikel)"
        )
        for name, (corpus, lists, ours, queries) in by_corpus.items():
            found = differences(corpus, lists, ours, BASELINE, queries)
            self.stdout.write(
                f"{name:<28}"
                + "  ".join(
                    f"{measure} {gap.mean:+.3f} ({gap.low:+.3f} bis {gap.high:+.3f})"
                    for measure, gap in found.items()
                )
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
