import unittest
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_draft, make_scheduled

needs_postgresql = unittest.skipUnless(
    connection.vendor == "postgresql",
    "PostgreSQL full-text search and its GIN index (run in CI's PostgreSQL pass)",
)


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.in_body = make_article(
            headline="Gipfel in Genf",
            lead="Zwei Nachbarn reden wieder miteinander.",
            body="<p>Die Beziehung der beiden Länder war lange belastet.</p>",
        )
        cls.in_headline = make_article(
            headline="Neue Beziehung zwischen Stadt und Land",
            lead="Ein Vertrag regelt die Zusammenarbeit.",
        )
        cls.unrelated = make_article(headline="Regen am Wochenende")

    def search(self, query, **params):
        return self.client.get(reverse("articles:search"), {"q": query, **params})

    def test_inflected_words_find_their_base_form(self):
        response = self.search("Beziehungen")

        self.assertContains(response, "Gipfel in Genf")
        self.assertContains(response, "Neue Beziehung zwischen Stadt und Land")
        self.assertNotContains(response, "Regen am Wochenende")

    def test_a_match_in_the_headline_ranks_above_one_in_the_body(self):
        response = self.search("Beziehung")

        self.assertEqual(
            list(response.context["articles"]), [self.in_headline, self.in_body]
        )

    def test_snippets_highlight_the_matches_and_stay_escaped(self):
        make_article(
            headline="Markup im Text",
            body="<p>Die Beziehung &lt;script&gt;alert(1)&lt;/script&gt; bleibt Text.</p>",
        )

        response = self.search("Beziehung")

        self.assertContains(response, "<mark>Beziehung</mark>")
        self.assertNotContains(response, "<script>alert(1)")

    def test_results_are_paginated_and_pages_keep_the_query(self):
        for number in range(12):
            make_article(headline=f"Hafenfest Teil {number}")

        first = self.search("Hafenfest")
        second = self.search("Hafenfest", page=2)

        self.assertEqual(len(first.context["articles"]), 10)
        self.assertEqual(len(second.context["articles"]), 2)
        self.assertContains(first, "?q=Hafenfest&amp;page=2")
        self.assertContains(first, "12 Treffer")

    def test_unpublished_articles_are_never_found(self):
        make_draft(headline="Geheime Beziehung")
        make_scheduled(headline="Geplante Beziehung")

        response = self.search("Beziehung")

        self.assertNotContains(response, "Geheime Beziehung")
        self.assertNotContains(response, "Geplante Beziehung")

    def test_odd_queries_give_a_normal_page(self):
        for query in [
            "",
            "   ",
            '"',
            "'",
            "\\",
            "!!! & | ( ) : * <-> ~",
            "' OR 1=1; DROP TABLE articles_article; --",
            '"unclosed OR -',
            "Beziehung 🙂 🚀",
            "🙂",
            "<script>alert(1)</script>",
            "a" * 200,
            "der die das",
        ]:
            with self.subTest(query=query):
                response = self.search(query)

                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert(1)</script>")

    def test_too_long_or_null_queries_get_a_german_error(self):
        too_long = self.search("Beziehung " * 30)
        with_null = self.search("Bezie\x00hung")

        self.assertContains(too_long, "Bitte höchstens 200 Zeichen eingeben.")
        self.assertContains(with_null, "Nullzeichen sind nicht erlaubt.")

    def test_empty_query_invites_a_search(self):
        response = self.search("")

        self.assertContains(response, "Wonach suchen Sie?")
        self.assertContains(response, 'content="noindex, follow"')

    def test_bad_page_numbers_are_not_found(self):
        self.assertEqual(self.search("Beziehung", page=99).status_code, 404)

    def test_results_stop_after_the_limit_and_say_there_are_more(self):
        for number in range(7):
            make_article(headline=f"Hafenfest Teil {number}")

        with mock.patch("articles.views.SEARCH_MAX_RESULTS", 5):
            first = self.search("Hafenfest")
            past_the_limit = self.search("Hafenfest", page=3)

        self.assertContains(first, "Mehr als 5 Treffer für „Hafenfest“")
        self.assertEqual(len(first.context["articles"]), 5)
        self.assertNotContains(first, 'rel="next"')
        self.assertEqual(past_the_limit.status_code, 404)

    def test_query_count_does_not_grow_with_the_number_of_results(self):
        self.search("Beziehung")  # warms the ad campaigns cache
        with CaptureQueriesContext(connection) as few:
            self.search("Beziehung")
        for number in range(9):
            make_article(headline=f"Beziehung Nummer {number}")
        with CaptureQueriesContext(connection) as many:
            self.search("Beziehung")

        self.assertEqual(len(few), len(many))

    def test_every_page_has_a_search_box(self):
        response = self.client.get(reverse("articles:front_page"))

        self.assertContains(response, f'action="{reverse("articles:search")}"')


@needs_postgresql
class PostgresSearchIndexTests(TestCase):
    def test_the_search_vector_is_current_after_every_save(self):
        article = make_article(headline="Hafenfest", body="<p>Musik.</p>")
        article.headline = "Deichfest"
        article.save()

        self.assertQuerySetEqual(Article.objects.search("Deichfest"), [article])
        self.assertQuerySetEqual(Article.objects.search("Hafenfest"), [])

    def test_search_uses_the_gin_index(self):
        make_article(headline="Hafenfest")
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            sql, params = Article.objects.search("Hafenfest").query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())

        self.assertIn("article_search_idx", plan)

    def test_snippets_come_from_postgresql(self):
        make_article(headline="Genf", body="<p>Die Beziehungen sind gut.</p>")

        found = Article.objects.search("Beziehung").get()

        self.assertIn("Beziehungen", found.search_snippet)
