"""What German readers type: compounds, transliterations, stems, typos
(phrases in quotes: test_phrase_search).

These run on SQLite (the fallback) and, with DATABASE_URL set to
PostgreSQL, on the real index with pg_trgm.
"""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleStatus, SearchWord
from articles.search_terms import compound_parts
from tests.factories import make_article, make_draft


def search(client, query, **params):
    return client.get(reverse("articles:search"), {"q": query, **params})


def headlines(response):
    return [article.headline for article in response.context["articles"]]


class CompoundTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_article(
            headline="Neue Oberbürgermeisterin vereidigt",
            body="<p>Die Oberbürgermeisterin legte den Eid im Rathaus ab.</p>",
        )
        make_article(
            headline="Straßenbahn fährt wieder",
            body="<p>Die Straßenbahn nach Süden rollt ab Montag.</p>",
        )
        make_article(
            headline="Bahn erhöht die Preise",
            body="<p>Fahrkarten der Bahn werden teurer.</p>",
        )

    def test_a_word_finds_the_compound_that_contains_it(self):
        response = search(self.client, "Bürgermeister")

        self.assertEqual(headlines(response), ["Neue Oberbürgermeisterin vereidigt"])

    def test_umlauts_may_be_written_out(self):
        response = search(self.client, "Buergermeister")

        self.assertEqual(headlines(response), ["Neue Oberbürgermeisterin vereidigt"])

    def test_whole_words_rank_above_parts_of_compounds(self):
        response = search(self.client, "Bahn")

        self.assertEqual(
            headlines(response), ["Bahn erhöht die Preise", "Straßenbahn fährt wieder"]
        )

    def test_a_compound_splits_into_its_parts_and_theirs(self):
        self.assertEqual(
            compound_parts("oberbürgermeisterin"),
            ("ober", "bürgermeisterin", "bürger", "meisterin"),
        )
        self.assertEqual(compound_parts("regierung"), ())
        self.assertEqual(compound_parts("wählerinnen"), ())


class OddTextTests(TestCase):
    def test_a_very_long_word_is_saved_and_found_by_its_start(self):
        word = "Donaudampfschifffahrt" + "x" * 3000
        make_article(headline="Langes Wort", body=f"<p>{word} am Ende.</p>")

        self.assertEqual(headlines(search(self.client, word[:200])), ["Langes Wort"])


class StemTests(TestCase):
    def test_the_word_itself_ranks_above_words_with_the_same_stem(self):
        make_article(
            headline="Unwetter zieht über das Land",
            body="<p>Wer wählen will, muss trotz Sturm ins Wahllokal.</p>",
        )
        make_article(
            headline="Stadtrat beschließt Termin",
            body="<p>Die Wahl findet im Mai statt.</p>",
        )

        response = search(self.client, "Wahl")

        self.assertEqual(headlines(response)[0], "Stadtrat beschließt Termin")

    def test_inflected_forms_still_find_each_other(self):
        make_article(headline="Die Brücken der Stadt")

        response = search(self.client, "Brücke")

        self.assertEqual(headlines(response), ["Die Brücken der Stadt"])


class SortTests(TestCase):
    def test_newest_first_on_request(self):
        make_article(
            headline="Hafenfest im Hafen",
            published_at=timezone.now() - timedelta(days=3),
        )
        make_article(
            headline="Regen",
            body="<p>Das Hafenfest fällt aus.</p>",
            published_at=timezone.now() - timedelta(hours=2),
        )

        by_relevance = search(self.client, "Hafenfest")
        newest_first = search(self.client, "Hafenfest", sort="neu")

        self.assertEqual(headlines(by_relevance), ["Hafenfest im Hafen", "Regen"])
        self.assertEqual(headlines(newest_first), ["Regen", "Hafenfest im Hafen"])
        self.assertContains(newest_first, "die neuesten zuerst")
        self.assertContains(newest_first, '<option value="neu" selected>')

    def test_an_unknown_order_gets_a_german_error(self):
        response = search(self.client, "Hafenfest", sort="alt")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bitte „Relevanz“ oder „Neueste zuerst“ wählen.")
        self.assertContains(response, 'value="Hafenfest"')


class SuggestionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_article(
            headline="Makrelenstreit mit Norwegen",
            body="<p>Die Fischer fordern neue Quoten.</p>",
        )

    def test_nothing_found_says_so_in_words(self):
        response = search(self.client, "Quallenplage")

        self.assertContains(response, "Keine Treffer für „Quallenplage“")
        self.assertNotContains(response, "0 Treffer")

    def test_a_typo_gets_a_suggestion_that_finds_something(self):
        response = search(self.client, "Makrelenstriet")

        self.assertContains(response, "Meinten Sie")
        self.assertContains(response, "?q=Makrelenstreit")
        self.assertEqual(
            headlines(search(self.client, "Makrelenstreit")),
            ["Makrelenstreit mit Norwegen"],
        )

    def test_words_of_drafts_are_never_suggested(self):
        make_draft(headline="Geheimverhandlung über Quoten")

        response = search(self.client, "Geheimverhandlng")

        self.assertFalse(SearchWord.objects.filter(word="geheimverhandlung").exists())
        self.assertNotContains(response, "Meinten Sie")

    def test_a_word_of_an_article_that_went_offline_is_not_suggested(self):
        Article.objects.update(status=ArticleStatus.WITHDRAWN)

        response = search(self.client, "Makrelenstriet")

        self.assertNotContains(response, "Meinten Sie")

    def test_query_count_of_a_search_with_a_suggestion(self):
        search(self.client, "Makrelenstriet")  # warms the ad campaigns cache
        # Count, the results (none), the known words, one lookup per unknown
        # word, and whether the suggestion finds anything; the page's
        # Eilmeldung and footer.
        with self.assertNumQueries(7):
            search(self.client, "Makrelenstriet")


class SearchQueryCountTests(TestCase):
    def test_a_search_with_results_reads_count_navigation_and_page(self):
        for number in range(3):
            make_article(headline=f"Deichfest Teil {number}")
        search(self.client, "Deichfest")  # warms the ad campaigns cache

        # Count, navigation, page; the Eilmeldung and the footer's pages.
        with self.assertNumQueries(5):
            search(self.client, "Deichfest")
