import io
import json
from pathlib import Path
from types import SimpleNamespace

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from recommendations.evaluation import (
    CANDIDATES,
    OURS,
    CorpusError,
    Difference,
    TfIdf,
    best_precision,
    cross_validate,
    differences,
    evaluate,
    half,
    measure_lists,
    read_corpus,
)
from recommendations.management.commands.evaluate_related import (
    SHIPPED_CORPUS,
    Command,
)


class ShippedCorpusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with open(SHIPPED_CORPUS, encoding="utf-8") as lines:
            cls.corpus = read_corpus(lines)
        cls.results = {result.name: result for result in evaluate(cls.corpus)}
        cls.ours = cls.results.pop(OURS)

    def test_corpus_has_many_articles_in_separate_stories_and_graded_pairs(self):
        labels = {article["label"] for article in self.corpus.articles}
        sections = {article["section"] for article in self.corpus.articles}

        self.assertGreaterEqual(len(self.corpus.articles), 60)
        self.assertGreaterEqual(len(labels), 10)
        self.assertGreaterEqual(len(sections), 5)
        self.assertEqual(set(self.corpus.grades.values()), {0, 1, 2})

    def test_our_ranking_beats_the_newest_and_the_shared_tags(self):
        # Against TF-IDF it is level on this corpus; the held-out corpora
        # (make evaluate-related) are where that comparison is made.
        for name in ("Neueste im Ressort", "Gemeinsame Schlagwörter (taggit)"):
            baseline = self.results[name]
            with self.subTest(baseline=name):
                self.assertGreater(self.ours.precision, baseline.precision)
                self.assertGreater(self.ours.ndcg, baseline.ndcg)
                self.assertGreaterEqual(self.ours.coverage, baseline.coverage)

    def test_our_lists_are_always_full(self):
        self.assertEqual(self.ours.coverage, 1.0)


class CorpusReadingTests(SimpleTestCase):
    def article(self, number, **overrides):
        fields = {
            "id": f"a{number}",
            "language": "de",
            "section": "news",
            "headline": f"Überschrift {number}",
            "lead": "Vorspann",
            "body": "<p>Text</p>",
            "tags": [],
            "label": "eins",
        }
        fields.update(overrides)
        return json.dumps(fields)

    def lines(self, *extra):
        return [self.article(number) for number in range(6)] + list(extra)

    def test_a_valid_corpus_is_read(self):
        corpus = read_corpus(
            self.lines('{"query": "a1", "candidate": "a2", "grade": 2}')
        )

        self.assertEqual(len(corpus.articles), 6)
        self.assertEqual(corpus.grades, {("a1", "a2"): 2})

    def test_small_stories_limit_the_best_possible_precision(self):
        lines = [self.article(n, label="eins" if n < 3 else "zwei") for n in range(6)]

        self.assertAlmostEqual(best_precision(read_corpus(lines)), 0.4)

    def test_an_article_with_several_labels_belongs_to_each_story(self):
        labels = ["eins", "eins", "zwei", "zwei", ["eins", "zwei"], "drei"]
        corpus = read_corpus(
            [self.article(n, label=label) for n, label in enumerate(labels)]
        )
        lists = {"Verfahren": {"a4": ["a0", "a2", "a5"], "a0": ["a4", "a2"]}}

        (result,) = measure_lists(corpus, lists)

        self.assertEqual(corpus.articles[4]["label"], {"eins", "zwei"})
        # a4 shares a story with four articles, a0 with two, a5 with none.
        self.assertAlmostEqual(best_precision(corpus), (2 + 2 + 2 + 2 + 4 + 0) / 30)
        self.assertAlmostEqual(result.precision, (2 / 5 + 1 / 5) / 2)

    def test_mistakes_are_reported_with_their_line(self):
        for extra, message in [
            ("{kaputt", "Zeile 7: kein gültiges JSON"),
            ('["liste"]', "Zeile 7: erwartet wird ein JSON-Objekt"),
            ('{"id": "x"}', "Zeile 7: es fehlt language"),
            (self.article(9, tags="Wahl"), "„tags“ muss eine Liste sein"),
            (self.article(9, published_at="gestern"), "kein ISO-Datum"),
            ('{"query": "a1", "candidate": "a2", "grade": 3}', "0, 1 oder 2"),
            (self.article(9, label=[]), "„label“ muss ein Text oder eine Liste"),
            (self.article(9, label=["eins", 2]), "„label“ muss ein Text"),
            ('{"query": "a1", "candidate": "zz", "grade": 1}', "unbekannte Artikel"),
            (self.article(1), "eindeutig"),
        ]:
            with self.subTest(message=message):
                with self.assertRaisesMessage(CorpusError, message):
                    read_corpus(self.lines(extra))

    def test_the_command_refuses_a_missing_or_broken_corpus(self):
        with self.assertRaisesMessage(CommandError, "nicht lesbar"):
            call_command("evaluate_related", "/gibt/es/nicht.jsonl")
        broken = Path(__file__).with_name("test_evaluation.py")
        with self.assertRaisesMessage(CommandError, "Zeile 1"):
            call_command("evaluate_related", str(broken))


class CrossValidationTests(SimpleTestCase):
    def corpus(self):
        lines = [
            json.dumps(
                {
                    "id": f"a{number}",
                    "language": "en",
                    "section": "news",
                    "headline": "h",
                    "lead": "",
                    "body": "",
                    "tags": [],
                    "label": "x" if number % 2 else "y",
                }
            )
            for number in range(12)
        ]
        return read_corpus(lines)

    def test_settings_are_chosen_on_one_half_and_reported_on_the_other(self):
        corpus = self.corpus()
        labels = {entry["id"]: entry["label"] for entry in corpus.articles}
        perfect = {
            query: [o for o in labels if o != query and labels[o] == labels[query]]
            for query in labels
        }
        empty = {query: [] for query in labels}
        lists = {name: empty for name in CANDIDATES}
        lists[list(CANDIDATES)[1]] = perfect
        lists["TF-IDF im Ressort"] = empty

        folds = list(cross_validate({"k": corpus}, {"k": lists}))

        self.assertEqual(
            [(chosen, reported) for chosen, reported, _, _ in folds], [(0, 1), (1, 0)]
        )
        for chosen_on, reported_on, choice, results in folds:
            self.assertEqual(choice, list(CANDIDATES)[1])
            ours, baseline = results["k"]
            self.assertEqual(ours.name, OURS)
            self.assertEqual(ours.precision, 1.0)
            self.assertEqual(baseline.precision, 0.0)
            self.assertEqual(
                half(corpus, chosen_on) | half(corpus, reported_on), set(labels)
            )
            self.assertFalse(half(corpus, chosen_on) & half(corpus, reported_on))


class DifferenceTests(SimpleTestCase):
    def corpus(self, size):
        return read_corpus(
            json.dumps(
                {
                    "id": f"a{number}",
                    "language": "de",
                    "section": "news",
                    "headline": "h",
                    "lead": "",
                    "body": "",
                    "tags": [],
                    "label": f"story{number // 6}",
                }
            )
            for number in range(size)
        )

    def lists(self, corpus, right_for_every):
        """Five places per article: all of its story for every n-th article,
        none for the others; the second method always none."""
        story = {}
        for entry in corpus.articles:
            story.setdefault(entry["label"], []).append(entry["id"])
        good, bad = {}, {}
        for number, entry in enumerate(corpus.articles):
            others = [pk for pk in story[entry["label"]] if pk != entry["id"]]
            strangers = [
                e["id"] for e in corpus.articles if e["label"] != entry["label"]
            ][:5]
            good[entry["id"]] = others if number % right_for_every == 0 else strangers
            bad[entry["id"]] = strangers
        return {"gut": good, "schlecht": bad}

    def test_a_difference_on_every_article_is_told_apart_from_chance(self):
        corpus = self.corpus(60)

        found = differences(corpus, self.lists(corpus, 1), "gut", "schlecht")

        self.assertEqual(found["P@5"], Difference(1, 1, 1))
        self.assertEqual(found["nDCG@5"], Difference(1, 1, 1))

    def test_a_difference_on_few_articles_has_a_wide_interval(self):
        corpus = self.corpus(60)

        precision = differences(corpus, self.lists(corpus, 20), "gut", "schlecht")[
            "P@5"
        ]

        self.assertAlmostEqual(precision.mean, 3 / 60)
        self.assertEqual(precision.low, 0.0)
        self.assertGreater(precision.high, 0.09)

    def test_only_the_given_articles_are_compared_and_a_run_repeats(self):
        corpus = self.corpus(60)
        lists = self.lists(corpus, 20)
        chosen = {"a0", "a1", "a20", "a21"}

        first = differences(corpus, lists, "gut", "schlecht", queries=chosen)

        self.assertEqual(first["P@5"].mean, 0.5)
        self.assertEqual(
            first, differences(corpus, lists, "gut", "schlecht", queries=chosen)
        )

    def test_the_command_prints_each_corpus_with_its_interval(self):
        corpus = self.corpus(60)
        lists = self.lists(corpus, 1) | {
            "TF-IDF im Ressort": self.lists(corpus, 1)["schlecht"]
        }
        out = io.StringIO()

        Command(stdout=out).differences({"klein": (corpus, lists, "gut", None)})

        self.assertIn(
            "Newsroom-Ranking − TF-IDF im Ressort (95-%-Intervall", out.getvalue()
        )
        self.assertIn("klein", out.getvalue())
        self.assertIn("P@5 +1.000 (+1.000 bis +1.000)", out.getvalue())

    def test_graded_pairs_alone_are_compared_by_ndcg_only(self):
        corpus = self.corpus(6)
        for number, entry in enumerate(corpus.articles):
            entry["label"] = frozenset({f"allein{number}"})
        corpus.grades = {("a0", "a1"): 2, ("a0", "a2"): 1}
        lists = {"gut": {"a0": ["a1", "a2"]}, "schlecht": {"a0": ["a3", "a2"]}}

        found = differences(corpus, lists, "gut", "schlecht")

        self.assertEqual(list(found), ["nDCG@5"])
        self.assertGreater(found["nDCG@5"].mean, 0.5)


class TfIdfBaselineTests(SimpleTestCase):
    def article(self, pk, section_id, text):
        return SimpleNamespace(
            pk=pk, section_id=section_id, headline=text, kicker="", lead="", body=""
        )

    def test_the_ressort_baseline_never_leaves_the_ressort(self):
        articles = [
            self.article(1, 1, "Ölpreis steigt"),
            self.article(2, 2, "Ölpreis steigt weiter"),
            self.article(3, 1, "Schach in Berlin"),
        ]
        languages = dict.fromkeys([1, 2, 3], "de")

        within = TfIdf(articles, languages, within_section=True)(articles[0])
        everywhere = TfIdf(articles, languages)(articles[0])

        self.assertEqual([other.pk for other in within], [])
        self.assertEqual([other.pk for other in everywhere], [2])
