"""Every query a reader's page makes reads the large tables through an index.

The queries are the real ones, captured from requests to each page, and
explained on PostgreSQL with sequential scans priced out of reach: if the
plan still reads a large table from start to end (sequentially or along a
whole index), no index serves that query, and the page would slow down as the archive grows.
"""

import re
import unittest
from datetime import timedelta

from django.db import connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.pagination import OLDER, encode_cursor
from readership import services
from recommendations.models import RelatedArticle
from tests.factories import make_article, make_author, make_section

# The tables that grow with the archive.
LARGE_TABLES = (
    "articles_article",
    "articles_taggedarticle",
    "articles_article_authors",
    "recommendations_relatedarticle",
    "pagecache_dependency",
    "articles_searchword",
)
SCAN = re.compile(
    r"(Seq Scan|Index Scan|Index Only Scan)(?: Backward)?(?: using \w+)? on (\w+)"
)


def unbounded_scans(plan):
    """Large tables a plan reads whole: sequentially, or all along an index.

    With sequential scans priced out, a query no index serves would walk a
    whole index instead, so an index scan without an index condition counts
    as a full read too.
    """
    lines = plan.splitlines()
    found = set()
    for number, line in enumerate(lines):
        match = SCAN.search(line)
        if not match or match[2] not in LARGE_TABLES:
            continue
        if match[1] == "Seq Scan":
            found.add(match[2])
            continue
        depth = len(line) - len(line.lstrip(" ->"))
        details = []
        for following in lines[number + 1 :]:
            if "->" in following or len(following) - len(following.lstrip()) <= depth:
                break
            details.append(following)
        if not any("Index Cond" in detail for detail in details):
            found.add(match[2])
    return found


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "Query plans are checked on PostgreSQL, the production database",
)
# The queries of a page are only run when it is not served from the cache.
@override_settings(PAGE_CACHE_SECONDS=0)
class ReaderQueryPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.author = make_author(name="Ida Kramer")
        cls.articles = [
            make_article(
                section=cls.politik if n % 2 else cls.news,
                headline=f"Hafenfest Runde {n}",
                tags=["Hafen"],
                authors=[cls.author],
            )
            for n in range(30)
        ]
        cls.article = cls.articles[0]
        RelatedArticle.objects.filter(article=cls.article).delete()
        RelatedArticle.objects.bulk_create(
            RelatedArticle(
                article=cls.article, target=target, position=n, source="ranked"
            )
            for n, target in enumerate(cls.articles[1:5])
        )
        for article in cls.articles[:3]:
            services.count_view(article)
        services.refresh_most_read(force=True)

    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        self.addCleanup(self.allow_sequential_scans)

    def allow_sequential_scans(self):
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")

    def article_queries(self, url):
        self.client.get(url)  # warms caches kept between requests
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        queries = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith("SELECT")
            and any(table in query["sql"] for table in LARGE_TABLES)
        ]
        self.assertTrue(queries, url)
        return queries

    def assert_indexed(self, url):
        for sql in self.article_queries(url):
            with self.subTest(url=url, sql=sql[:200]):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                self.assertFalse(unbounded_scans(plan), plan)

    def test_article_page_with_related_block_and_most_read(self):
        self.assert_indexed(self.article.get_absolute_url())

    def test_front_page(self):
        self.assert_indexed(reverse("articles:front_page"))

    def test_section_list_first_and_later_pages(self):
        listed = Article.objects.published().in_section(self.news)
        cursor = encode_cursor(listed.order_by("published_at", "pk")[5])
        self.assert_indexed(self.news.get_absolute_url())
        self.assert_indexed(f"{self.news.get_absolute_url()}?{OLDER}={cursor}")

    def test_tag_list(self):
        self.assert_indexed(reverse("articles:tag_detail", kwargs={"slug": "hafen"}))

    def test_author_list(self):
        self.assert_indexed(self.author.get_absolute_url())

    def test_search(self):
        self.assert_indexed(reverse("articles:search") + "?q=Hafenfest")

    def test_search_without_results_and_its_suggestion(self):
        self.assert_indexed(reverse("articles:search") + "?q=Hafenfets")

    def test_sitemap_index_and_article_files(self):
        self.assert_indexed(reverse("sitemap"))
        self.assert_indexed(reverse("sitemap_section", args=["artikel"]) + "?p=1")

    @override_settings(PAGE_CACHE_SECONDS=60)
    def test_the_page_cache_checks_its_keys_and_the_clock_by_index(self):
        make_article(
            section=self.news, published_at=timezone.now() + timedelta(hours=1)
        )
        make_article(
            section=self.news, unpublish_at=timezone.now() + timedelta(hours=2)
        )
        url = self.article.get_absolute_url()
        with CaptureQueriesContext(connection) as captured:
            self.client.get(url)  # a miss: the clock's next change is read
            self.client.get(url)  # a hit: the page's keys are checked
        page_cache_queries = [
            query["sql"]
            for query in captured.captured_queries
            if "pagecache_" in query["sql"]
            or re.match(r'SELECT "articles_article"\."\w+_at" AS', query["sql"])
        ]
        self.assertTrue(
            any("pagecache_dependency" in sql for sql in page_cache_queries)
        )
        self.assertEqual(
            sum("pagecache_" not in sql for sql in page_cache_queries),
            2,
            "the next publication and the next end",
        )
        for sql in page_cache_queries:
            with self.subTest(sql=sql[:200]):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                self.assertFalse(unbounded_scans(plan), plan)


class UnboundedScanTests(SimpleTestCase):
    def test_index_condition_bounds_a_scan(self):
        plan = (
            "Limit  (cost=0.42..8.44 rows=1 width=8)\n"
            "  ->  Index Scan Backward using article_status_pub_idx on "
            "articles_article  (cost=0.42..8.44 rows=1 width=8)\n"
            "        Index Cond: ((status)::text = 'published'::text)\n"
            "        Filter: (unpublish_at IS NULL)"
        )

        self.assertEqual(unbounded_scans(plan), set())

    def test_whole_index_and_sequential_reads_are_found(self):
        plan = (
            "Nested Loop  (cost=0.42..8.44 rows=1 width=8)\n"
            "  ->  Index Scan using articles_article_pkey on articles_article  "
            "(cost=0.42..8.44 rows=1 width=8)\n"
            "        Filter: ((kicker)::text = 'x'::text)\n"
            "  ->  Index Scan using articles_section_pkey on articles_section  "
            "(cost=0.14..0.16 rows=1 width=59)\n"
            "        Index Cond: (id = articles_article.section_id)\n"
            "  ->  Seq Scan on articles_taggedarticle  (cost=0.00..1.50 rows=5 width=8)"
        )

        self.assertEqual(
            unbounded_scans(plan), {"articles_article", "articles_taggedarticle"}
        )
