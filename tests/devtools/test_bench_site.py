"""The yardsticks `make bench` measures our pages against."""

from django.test import TestCase, override_settings


@override_settings(ROOT_URLCONF="devtools.bench_site")
class BenchSiteTests(TestCase):
    def test_the_floor_answers_two_bytes_through_the_whole_middleware(self):
        with self.assertNumQueries(0):
            response = self.client.get("/__messung/boden/")

        self.assertEqual(response.content, b"ok")
        self.assertIn("Content-Security-Policy", response)

    def test_the_reference_is_a_68_kb_german_article_page_without_queries(self):
        with self.assertNumQueries(0):
            response = self.client.get("/__messung/referenz/")

        self.assertContains(response, "<h1>Stadtrat beschließt Haushalt")
        self.assertContains(response, '<html lang="de">')
        self.assertAlmostEqual(len(response.content) / 1000, 68, delta=3)

    def test_the_site_is_served_beside_them(self):
        response = self.client.get("/robots.txt")

        self.assertEqual(response.status_code, 200)
