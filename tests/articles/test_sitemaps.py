import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, CorrectionKind
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
                # "bilder": galleries' pictures (galleries.sitemaps).
                for name in ("artikel", "ressorts", "themen", "autoren", "bilder")
            ],
        )

    def test_index_dates_the_articles_by_their_newest_change_without_loading_them(self):
        corrected = make_article(
            headline="Zuletzt korrigiert",
            published_at=timezone.now() - timedelta(days=2),
        )
        correction = Correction.objects.create(
            article=corrected,
            kind=CorrectionKind.CORRECTION,
            text="Name berichtigt.",
            created_at=timezone.now() - timedelta(minutes=5),
        )
        # A save nobody was told about moves no date.
        Article.objects.filter(pk=self.article.pk).update(
            updated_at=timezone.now() + timedelta(minutes=5)
        )

        with CaptureQueriesContext(connection) as captured:
            root = self.get_xml(reverse("sitemap"))

        self.assertEqual(
            datetime.fromisoformat(root.find(".//s:lastmod", NS).text),
            correction.created_at,
        )
        self.assertFalse(
            [
                query
                for query in captured.captured_queries
                if '"articles_article"."headline"' in query["sql"]
            ]
        )

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


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class OneLastChangeTests(TestCase):
    """The sitemap's lastmod and the page's dateModified are one date."""

    def setUp(self):
        self.article = make_article(
            headline="Brücke wird saniert",
            published_at=datetime(2026, 11, 20, 9, 15, 30, 123456, tzinfo=UTC),
        )
        # The row was saved later (a typo), which readers were not told about.
        Article.objects.filter(pk=self.article.pk).update(
            updated_at=datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
        )

    def dates(self):
        html = self.client.get(
            self.article.get_absolute_url(), HTTP_HOST=HOST
        ).content.decode()
        (news,) = [
            data
            for data in map(
                json.loads,
                re.findall(r'<script type="application/ld\+json">(.*?)</script>', html),
            )
            if data["@type"] == "NewsArticle"
        ]
        opengraph = re.search(
            r'<meta property="article:modified_time" content="([^"]+)"', html
        ).group(1)
        item = self.client.get(
            reverse("sitemap_section", args=["artikel"]), HTTP_HOST=HOST
        )
        index = self.client.get(reverse("sitemap"), HTTP_HOST=HOST)
        return {
            "dateModified": datetime.fromisoformat(news["dateModified"]),
            "og": datetime.fromisoformat(opengraph),
            "lastmod": ET.fromstring(item.content).find(".//s:lastmod", NS).text,
            "index": datetime.fromisoformat(
                ET.fromstring(index.content).find(".//s:lastmod", NS).text
            ),
        }

    def assert_one_date(self, moment):
        dates = self.dates()
        to_the_second = moment.replace(microsecond=0)
        self.assertEqual(dates["dateModified"], to_the_second)
        self.assertEqual(dates["og"], to_the_second)
        # Django writes an article's lastmod as a day, in Berlin time.
        self.assertEqual(dates["lastmod"], f"{timezone.localtime(moment):%Y-%m-%d}")
        self.assertEqual(dates["index"], moment)

    def test_before_any_update_the_publication(self):
        self.assert_one_date(self.article.published_at)

    def test_an_update_moves_every_date_at_once(self):
        update = Correction.objects.create(
            article=self.article,
            kind=CorrectionKind.UPDATE,
            text="Sperrung verlängert.",
            created_at=datetime(2026, 11, 22, 23, 30, 5, 42, tzinfo=UTC),
        )

        # 23:30 UTC is already the next day in Berlin.
        self.assert_one_date(update.created_at)
        self.assertEqual(self.dates()["lastmod"], "2026-11-23")

    @override_settings(PAGE_CACHE_SECONDS=3600)
    def test_a_cached_index_is_retired_by_an_update(self):
        self.dates()
        update = Correction.objects.create(
            article=self.article,
            kind=CorrectionKind.UPDATE,
            text="Sperrung verlängert.",
            created_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        )

        self.assertEqual(self.dates()["index"], update.created_at)
