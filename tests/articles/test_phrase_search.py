"""Quoted phrases: the words in their order, inside one field.

These run on SQLite (the fallback reads the plain text) and, with
DATABASE_URL set to PostgreSQL, on the index, where a phrase is first
narrowed by its word pairs and only then checked by position.
"""

import importlib
import re
import unittest
from datetime import timedelta
from types import SimpleNamespace

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Cast
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search_terms import Query, document
from tests.factories import make_article

needs_postgresql = unittest.skipUnless(
    connection.vendor == "postgresql", "ts_rank of PostgreSQL"
)
LEXEME = re.compile(r"'((?:[^']|'')*)'(:[0-9A-D,]+)?")


def search(client, query):
    return client.get(reverse("articles:search"), {"q": query})


def headlines(response):
    return [article.headline for article in response.context["articles"]]


def lexemes(literal):
    """{lexeme: its positions, or None} of a tsvector literal."""
    return {found[1]: found[2] for found in LEXEME.finditer(literal)}


def without_pairs(literal):
    """The literal as it was stored before word pairs."""
    return " ".join(
        f"'{lexeme}'{places}"
        for lexeme, places in lexemes(literal).items()
        if not lexeme.startswith("=")
    )


class PhraseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        make_article(
            headline="Alte Brücke eröffnet",
            body="<p>Die alte Brücke verbindet wieder beide Ufer.</p>",
            published_at=now - timedelta(days=3),
        )
        make_article(
            headline="Brücke gesperrt",
            body="<p>Alte Pläne für den Verkehr.</p>",
            published_at=now - timedelta(days=2),
        )
        make_article(
            headline="Stadtrat tagt",
            body="<p>Die alte Brücke bleibt. Die Brücke eröffnet im Mai.</p>",
            published_at=now - timedelta(days=1),
        )
        make_article(
            headline="Rettet das Alte",
            kicker="Brücke",
            body="<p>Ein Verein sammelt Spenden.</p>",
        )

    def test_words_in_quotes_must_stand_together(self):
        response = search(self.client, '"alte Brücke"')

        self.assertEqual(headlines(response), ["Alte Brücke eröffnet", "Stadtrat tagt"])

    def test_without_quotes_both_words_anywhere_are_enough(self):
        response = search(self.client, "alte Brücke")

        self.assertEqual(len(headlines(response)), 4)

    def test_three_words_must_stand_together_not_only_in_pairs(self):
        # "Stadtrat tagt" says "alte Brücke" and "Brücke eröffnet", apart.
        response = search(self.client, '"alte Brücke eröffnet"')

        self.assertEqual(headlines(response), ["Alte Brücke eröffnet"])

    def test_a_phrase_never_spans_two_fields(self):
        response = search(self.client, '"alte Brücke"')

        self.assertNotIn("Rettet das Alte", headlines(response))

    def test_a_phrase_in_the_headline_ranks_above_one_in_the_body(self):
        # The body hit is newer; the headline still wins.
        response = search(self.client, '"alte Brücke"')

        self.assertEqual(headlines(response)[0], "Alte Brücke eröffnet")

    def test_a_mistyped_phrase_gets_a_suggestion_that_finds_it(self):
        response = search(self.client, '"alte Brüke"')

        self.assertEqual(response.context["suggestion"], '"alte Brücke"')


class StopwordInPhraseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_article(headline="Wahl in Köln verschoben")
        make_article(headline="Wahl Köln: Kandidaten stehen fest")

    def test_a_stopword_inside_a_phrase_keeps_its_place(self):
        response = search(self.client, '"Wahl in Köln"')

        self.assertEqual(headlines(response), ["Wahl in Köln verschoben"])

    def test_without_the_stopword_the_words_must_be_neighbours(self):
        response = search(self.client, '"Wahl Köln"')

        self.assertEqual(headlines(response), ["Wahl Köln: Kandidaten stehen fest"])


class WordPairTests(SimpleTestCase):
    def test_neighbouring_words_leave_a_pair_without_a_position(self):
        stored = lexemes(document([("Mit deutlicher Mehrheit", "A")]))

        self.assertEqual(stored["deutlicher"], ":2A")
        self.assertIsNone(stored["=deutlicher mehrheit"])

    def test_each_stopword_between_the_words_is_an_underscore(self):
        stored = lexemes(document([("Wahl in der Stadt", "A")]))

        self.assertIn("=wahl _ _ stadt", stored)

    def test_umlauts_are_written_out_in_pairs_as_in_words(self):
        stored = lexemes(document([("Alte Brücke", "A")]))

        self.assertIn("=alte bruecke", stored)

    def test_no_pair_spans_two_fields(self):
        stored = lexemes(document([("Rettet das Alte", "A"), ("Brücke", "B")]))

        self.assertEqual(
            [lexeme for lexeme in stored if lexeme.startswith("=")], ["=rettet _ alte"]
        )

    def test_many_stopwords_in_a_row_leave_no_pair(self):
        text = "Abkommen, das er mit ihr schloss"
        stored = lexemes(document([(text, "A")]))

        self.assertFalse([lexeme for lexeme in stored if lexeme.startswith("=")])
        self.assertEqual(
            Query.parse(f'"{text}"').matches(), "('abkommen' <5> 'schloss')"
        )

    def test_two_words_are_found_by_their_pair_alone(self):
        self.assertEqual(Query.parse('"alte Brücke"').matches(), "('=alte bruecke')")
        self.assertEqual(Query.parse('"Wahl in Köln"').matches(), "('=wahl _ koeln')")

    def test_more_words_are_narrowed_by_their_pairs_then_checked_in_place(self):
        self.assertEqual(
            Query.parse('"alte Brücke eröffnet"').matches(),
            "('=alte bruecke' & '=bruecke eroeffnet'"
            " & ('alte' <1> 'bruecke' <1> 'eroeffnet'))",
        )

    def test_pairs_are_not_ranked(self):
        ranked = Query.parse('Ufer "alte Brücke eröffnet"').ranked_terms()

        self.assertNotIn("=", ranked)


@needs_postgresql
class PairsLeaveTheRankTests(SimpleTestCase):
    databases = {"default"}

    def test_the_rank_is_the_same_with_and_without_pairs(self):
        literal = document(
            [
                ("Alte Brücke eröffnet", "A"),
                ("Die alte Brücke verbindet wieder beide Ufer.", "C"),
            ]
        )
        ranked = Query.parse('Ufer "alte Brücke"').ranked_terms()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts_rank(%s::tsvector, %s::tsquery),"
                " ts_rank(%s::tsvector, %s::tsquery)",
                [literal, ranked, without_pairs(literal), ranked],
            )
            with_pairs, before = cursor.fetchone()

        self.assertGreater(before, 0)
        self.assertEqual(with_pairs, before)


class RefreshAfterDeployTests(TestCase):
    def test_the_migration_gives_existing_articles_their_pairs(self):
        article = make_article(body="<p>Mit deutlicher Mehrheit beschlossen.</p>")
        old = without_pairs(str(Article.objects.get().search_vector))
        if connection.vendor == "postgresql":
            old = Cast(Value(old), output_field=SearchVectorField())
        Article.objects.update(search_vector=old)
        migration = importlib.import_module(
            "articles.migrations.0018_word_pairs_for_phrases"
        )

        # Tests run each job the moment it is enqueued.
        migration.refresh_search_terms_later(
            apps, SimpleNamespace(connection=connection)
        )

        self.assertIn(
            "=deutlicher mehrheit", lexemes(str(Article.objects.get().search_vector))
        )
        self.assertEqual(
            list(Article.objects.search('"deutlicher Mehrheit"')), [article]
        )
