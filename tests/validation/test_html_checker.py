"""Every kind of reader page is valid HTML for the Nu HTML checker."""

from django.test import TestCase

from tests.validation.checkers import html_checker_errors
from tests.validation.pages import reader_pages


class HtmlCheckerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = reader_pages()

    def test_no_errors_on_any_page(self):
        pages = {}
        for name, url in self.pages:
            response = self.client.get(url)
            self.assertEqual(
                response.status_code, 404 if name == "Seite nicht gefunden" else 200
            )
            pages[name] = response.content.decode()

        # The article page carries the demo's ads, the home page a native one.
        self.assertIn(
            'class="ad-slot ad-slot--article-end-1"', pages["Artikel mit Anzeigen"]
        )
        errors = html_checker_errors(pages)

        print("\nNu HTML checker:", len(errors), "Fehler auf", len(pages), "Seiten")
        self.assertEqual(errors, [], "\n".join(errors))
