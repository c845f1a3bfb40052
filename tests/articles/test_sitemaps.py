import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from unittest import mock

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import ArticleSitemap
from tests.factories import make_article, make_author, make_draft, make_scheduled

HOST = "www.newsroom-zeitung.de"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = make_author(name="Jana Vogt")
        cls.article = make_article(
            headline="Haushalt <beschlossen> & gefeiert",
            tags=["Landtag"],
            authors=[cls.author],
        )
        make_draft(
            headline="Geheimer Entwurf",
            tags=["Nur Entwurf"],
            authors=[make_author(name="Niemand Bekannt")],
        )
        make_scheduled(headline="Geplanter Artikel")

    def get_xml(self, url):
        response = self.client.get(url, HTTP_HOST=HOST)
        self.assertEqual(response.status_code, 200)
        self.assertIn("xml", response["Content-Type"])
        return ET.fromstring(response.content)

    def locations(self, url):
        return [loc.text for loc in self.get_xml(url).iterfind(".//s:loc", NS)]

    def test_index_names_articles_sections_tags_and_authors_on_the_real_host(self):
        sitemaps = self.locations(reverse("sitemap"))

        self.assertEqual(
            sitemaps,
            [
                f"http://{HOST}{reverse('sitemap_section', args=[name])}"
                for name in ("artikel", "ressorts", "themen", "autoren")
            ],
        )

    def test_index_dates_the_articles_by_their_newest_change_without_loading_them(self):
        newest = make_article(headline="Zuletzt geändert")
        Article.objects.filter(pk=newest.pk).update(
            updated_at=timezone.now() + timedelta(minutes=5)
        )
        newest.refresh_from_db()

        with CaptureQueriesContext(connection) as captured:
            root = self.get_xml(reverse("sitemap"))

        self.assertEqual(
            datetime.fromisoformat(root.find(".//s:lastmod", NS).text),
            newest.updated_at,
        )
        self.assertFalse(
            [
                query
                for query in captured.captured_queries
                if '"articles_article"."headline"' in query["sql"]
            ]
        )

    def test_articles_are_split_into_files_of_at_most_5000(self):
        second = make_article(headline="Zweite Meldung")
        section_url = f"http://{HOST}{reverse('sitemap_section', args=['artikel'])}"
        with mock.patch.object(ArticleSitemap, "limit", 2):
            files = [
                url
                for url in self.locations(reverse("sitemap"))
                if url.startswith(section_url)
            ]
            pages = [
                self.locations(url.removeprefix(f"http://{HOST}")) for url in files
            ]

        self.assertEqual(ArticleSitemap.limit, 5000)
        self.assertIn(f"{section_url}?p=2", files)
        self.assertTrue(all(len(page) <= 2 for page in pages), pages)
        self.assertCountEqual(
            [url for page in pages for url in page],
            [
                f"http://{HOST}{article.get_absolute_url()}"
                for article in (self.article, second)
            ],
        )

    def test_a_sitemap_file_past_the_last_is_not_found(self):
        response = self.client.get(
            reverse("sitemap_section", args=["artikel"]) + "?p=99", HTTP_HOST=HOST
        )

        self.assertEqual(response.status_code, 404)

    def test_sections_list_their_pages(self):
        articles = self.locations(reverse("sitemap_section", args=["artikel"]))
        tags = self.locations(reverse("sitemap_section", args=["themen"]))
        authors = self.locations(reverse("sitemap_section", args=["autoren"]))
        sections = self.locations(reverse("sitemap_section", args=["ressorts"]))

        self.assertEqual(articles, [f"http://{HOST}{self.article.get_absolute_url()}"])
        self.assertEqual(
            tags, [f"http://{HOST}{reverse('articles:tag_detail', args=['landtag'])}"]
        )
        self.assertEqual(authors, [f"http://{HOST}{self.author.get_absolute_url()}"])
        self.assertIn(
            f"http://{HOST}{self.article.section.get_absolute_url()}", sections
        )

    def test_articles_say_when_they_last_changed(self):
        root = self.get_xml(reverse("sitemap_section", args=["artikel"]))

        self.assertTrue(
            root.find(".//s:lastmod", NS).text.startswith(
                str(timezone.localdate().year)
            )
        )

    def test_nothing_unpublished_is_listed(self):
        for name in ("artikel", "themen", "autoren"):
            with self.subTest(sitemap=name):
                response = self.client.get(reverse("sitemap_section", args=[name]))

                self.assertNotContains(response, "geheimer-entwurf")
                self.assertNotContains(response, "geplanter-artikel")
                self.assertNotContains(response, "nur-entwurf")
                self.assertNotContains(response, "niemand-bekannt")

    def test_never_example_com(self):
        for url in [
            reverse("sitemap"),
            reverse("sitemap_section", args=["artikel"]),
            reverse("news_sitemap"),
            reverse("robots_txt"),
        ]:
            with self.subTest(url=url):
                self.assertNotContains(
                    self.client.get(url, HTTP_HOST=HOST), "example.com"
                )

    def test_query_count_does_not_grow_with_the_number_of_articles(self):
        url = reverse("sitemap_section", args=["artikel"])
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for number in range(10):
            make_article(headline=f"Meldung {number}")
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)

        self.assertEqual(len(few), len(many))


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class NewsSitemapTests(TestCase):
    def entries(self):
        response = self.client.get(reverse("news_sitemap"), HTTP_HOST=HOST)
        self.assertEqual(response.status_code, 200)
        return ET.fromstring(response.content).findall("s:url", NS)

    def test_lists_recent_articles_with_news_metadata(self):
        article = make_article(headline="Haushalt <beschlossen> & gefeiert")

        (entry,) = self.entries()

        self.assertEqual(
            entry.find("s:loc", NS).text, f"http://{HOST}{article.get_absolute_url()}"
        )
        news = entry.find("news:news", NS)
        self.assertEqual(news.find("news:publication/news:name", NS).text, "Newsroom")
        self.assertEqual(news.find("news:publication/news:language", NS).text, "de")
        self.assertEqual(
            news.find("news:title", NS).text, "Haushalt <beschlossen> & gefeiert"
        )
        self.assertRegex(
            news.find("news:publication_date", NS).text,
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d",
        )

    def test_only_the_last_two_days(self):
        make_article(headline="Frisch")
        old = make_article(headline="Von vorgestern")
        Article.objects.filter(pk=old.pk).update(
            published_at=timezone.now() - timedelta(days=2, minutes=1)
        )
        make_draft(headline="Entwurf")
        make_scheduled(headline="Später")

        titles = [
            entry.find("news:news/news:title", NS).text for entry in self.entries()
        ]

        self.assertEqual(titles, ["Frisch"])

    def test_at_most_a_thousand_urls(self):
        section = make_article().section
        now = timezone.now()
        Article.objects.bulk_create(
            Article(
                section=section,
                headline=f"Meldung {n}",
                slug=f"meldung-{n}",
                lead="Kurz.",
                status="published",
                published_at=now - timedelta(seconds=n + 1),
            )
            for n in range(1005)
        )

        self.assertEqual(len(self.entries()), 1000)


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class RobotsTxtTests(TestCase):
    def test_names_both_sitemaps_on_the_real_host(self):
        response = self.client.get(reverse("robots_txt"), HTTP_HOST=HOST)
        text = response.content.decode()

        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn(f"Sitemap: http://{HOST}{reverse('sitemap')}\n", text)
        self.assertIn(f"Sitemap: http://{HOST}{reverse('news_sitemap')}\n", text)
        self.assertTrue(re.search(r"^User-agent: \*$", text, re.M))
        self.assertIn(f"Disallow: {reverse('articles:search')}", text)
