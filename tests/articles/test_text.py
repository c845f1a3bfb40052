from django.test import SimpleTestCase

from articles.text import german_slugify, sanitize_body, split_after_paragraphs


class GermanSlugifyTests(SimpleTestCase):
    def test_umlauts_and_sharp_s_are_spelled_out(self):
        self.assertEqual(german_slugify("Südkorea"), "suedkorea")
        self.assertEqual(german_slugify("Größe der Öffnung"), "groesse-der-oeffnung")
        self.assertEqual(german_slugify("ÄRGER über Fußball"), "aerger-ueber-fussball")

    def test_punctuation_and_quotes_disappear(self):
        self.assertEqual(
            german_slugify("„Wir schaffen das!“ – oder?"), "wir-schaffen-das-oder"
        )


class SanitizeBodyTests(SimpleTestCase):
    def test_script_elements_are_removed(self):
        cleaned = sanitize_body("<p>Text</p><script>alert('x')</script>")

        self.assertNotIn("script", cleaned)
        self.assertNotIn("alert", cleaned)

    def test_event_handler_attributes_are_removed(self):
        cleaned = sanitize_body(
            '<p onclick="steal()">Text <strong onmouseover="x()">fett</strong></p>'
        )

        self.assertEqual(cleaned, "<p>Text <strong>fett</strong></p>")

    def test_javascript_links_lose_their_target(self):
        cleaned = sanitize_body('<p><a href="javascript:alert(1)">klick</a></p>')

        self.assertNotIn("javascript", cleaned)
        self.assertIn("klick", cleaned)

    def test_allowed_links_keep_their_target(self):
        for href in [
            "https://example.org/a",
            "http://example.org",
            "mailto:redaktion@example.org",
            "/news/politik/",
        ]:
            with self.subTest(href=href):
                self.assertIn(
                    f'href="{href}"', sanitize_body(f'<p><a href="{href}">x</a></p>')
                )

    def test_disallowed_elements_keep_their_text(self):
        cleaned = sanitize_body(
            '<div><p>Absatz mit <img src="x.png" onerror="y()"> <span style="color:red">Farbe</span></p></div>'
        )

        self.assertEqual(cleaned, "<p>Absatz mit  Farbe</p>")

    def test_allowed_structure_survives(self):
        html = (
            "<p>a</p><h2>b</h2><h3>c</h3><ul><li>d</li></ul><ol><li>e</li></ol>"
            "<blockquote><p><em>f</em> <strong>g</strong></p></blockquote>"
        )

        self.assertEqual(sanitize_body(html), html)

    def test_typographic_quotes_and_non_breaking_spaces_survive(self):
        html = (
            "<p>„Das ist gut“, sagte sie um 10\N{NO-BREAK SPACE}Uhr – ‚wirklich‘.</p>"
        )

        self.assertEqual(sanitize_body(html), html)


class SplitAfterParagraphsTests(SimpleTestCase):
    def test_splits_after_each_top_level_paragraph(self):
        chunks = split_after_paragraphs("<p>1</p><h2>T</h2><p>2</p><ul><li>x</li></ul>")

        self.assertEqual(
            chunks, ["<p>1</p>", "<h2>T</h2><p>2</p>", "<ul><li>x</li></ul>"]
        )

    def test_paragraphs_inside_quotes_do_not_count(self):
        chunks = split_after_paragraphs(
            "<p>1</p><blockquote><p>z</p></blockquote><p>2</p>"
        )

        self.assertEqual(
            chunks, ["<p>1</p>", "<blockquote><p>z</p></blockquote><p>2</p>", ""]
        )
