from django.test import SimpleTestCase

from articles.language import analyzer


class AnalyzerTests(SimpleTestCase):
    def test_german_words_share_their_stem(self):
        words = analyzer("de")

        self.assertEqual(words.terms("Beziehungen"), words.terms("Beziehung"))
        self.assertEqual(words.terms("Häuser"), words.terms("Haus"))

    def test_function_words_and_markup_are_left_out(self):
        self.assertEqual(analyzer("de").terms("<p>Der und die Brücke</p>"), ["bruck"])

    def test_unknown_languages_are_refused(self):
        with self.assertRaisesMessage(ValueError, "Keine Stammformen"):
            analyzer("klingonisch")
