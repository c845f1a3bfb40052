"""The page cache: what it stores and for whom, what a change takes down,
and the headers shared caches and browsers get."""

import re
from datetime import timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    Correction,
    CorrectionKind,
    PreviewLink,
)
from articles.pagination import OLDER, encode_cursor
from recommendations.models import RecommendationSource, RelatedArticle
from tests.factories import (
    later,
    make_article,
    make_author,
    make_creative,
    make_draft,
    make_editor,
    make_section,
    make_slot,
    make_topic_box,
)
from tests.pagecache.readers import HEADLINE, HOST

# What deploy/nginx.conf sends with the requests whose answers it keeps.
SHARED_COPY = {"HTTP_X_NEWSROOM_SHARED_COPY": "1"}


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.author = make_author(name="Jana Vogt", slug="jana-vogt")
        cls.article = make_article(
            section=cls.politik,
            headline=HEADLINE,
            tags=["Nahverkehr", "Stadtrat"],
            authors=[cls.author],
        )
        # Keeps tag, author and sections non-empty once the article is gone.
        cls.other = make_article(
            section=cls.politik,
            headline="Haushalt ohne neue Schulden",
            tags=["Nahverkehr", "Stadtrat"],
            authors=[cls.author],
        )

    def get(self, url, **extra):
        return self.client.get(url, HTTP_HOST=HOST, **extra)

    def shows(self, url, text=HEADLINE):
        response = self.get(url)
        return response.status_code == 200 and text in response.content.decode()

    def assert_gone_after_withdrawal(self, url, text=HEADLINE):
        self.assertTrue(self.shows(url, text), f"{url} must show the article at first")
        self.assertEqual(self.get(url)["X-Cache"], "HIT")

        self.article.withdraw()

        self.assertFalse(
            self.shows(url, text), f"{url} still shows a withdrawn article"
        )

    # Served from the cache

    def test_a_second_reader_gets_the_page_from_the_cache_with_one_query(self):
        url = self.article.get_absolute_url()
        self.assertEqual(self.get(url)["X-Cache"], "MISS")

        with CaptureQueriesContext(connection) as queries:
            response = self.get(url)

        self.assertEqual(response["X-Cache"], "HIT")
        self.assertContains(response, HEADLINE)
        # The content version; ads come from their own cached snapshot.
        self.assertEqual(
            [q["sql"] for q in queries if "pagecache_contentversion" not in q["sql"]],
            [],
        )

    def test_a_page_from_the_cache_states_its_length_with_its_own_ads_filled_in(self):
        make_creative(slot=make_slot(key="article-end-1"), alt_text="Herbstmesse")
        url = self.article.get_absolute_url()
        self.get(url)

        response = self.get(url)

        self.assertEqual(response["X-Cache"], "HIT")
        self.assertContains(response, "data-ad-token=")
        self.assertEqual(int(response["Content-Length"]), len(response.content))

    def test_the_uncached_article_page_takes_at_most_twelve_queries(self):
        make_topic_box(self.article, self.other)
        url = self.article.get_absolute_url()
        self.get(reverse("articles:front_page"))  # warms the ad campaigns cache

        with CaptureQueriesContext(connection) as queries:
            response = self.get(url)

        self.assertEqual(response["X-Cache"], "MISS")
        self.assertLessEqual(len(queries), 12, [q["sql"] for q in queries])

    def test_rendering_and_storing_a_page_writes_nothing_to_the_database(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.get(self.article.get_absolute_url())

        self.assertEqual(response["X-Cache"], "MISS")
        writes = [
            q["sql"] for q in queries if not q["sql"].lstrip().startswith("SELECT")
        ]
        self.assertEqual(writes, [])

    def test_every_cached_view_gets_its_own_ads(self):
        slot = make_slot(key="article-end-1")
        make_creative(slot=slot, alt_text="Herbstmesse")
        url = self.article.get_absolute_url()

        pages = [self.get(url) for _ in range(3)]

        self.assertEqual([page["X-Cache"] for page in pages], ["MISS", "HIT", "HIT"])
        page_tokens = [
            re.findall(r'data-ad-token="([^"]+)"', page.content.decode())
            for page in pages
        ]
        self.assertTrue(all(page_tokens))
        self.assertEqual(len({tuple(found) for found in page_tokens}), 3)

    # Exact invalidation: no reader sees a page with a withdrawn article

    def test_withdrawing_takes_the_article_page_down(self):
        url = self.article.get_absolute_url()
        self.assertTrue(self.shows(url))

        self.article.withdraw()

        self.assertEqual(self.get(url).status_code, 404)

    def test_withdrawing_refreshes_the_section_page(self):
        self.assert_gone_after_withdrawal(self.politik.get_absolute_url())

    def test_withdrawing_refreshes_the_parent_section_page(self):
        self.assert_gone_after_withdrawal(self.news.get_absolute_url())

    def test_withdrawing_refreshes_the_home_page(self):
        self.assert_gone_after_withdrawal(reverse("articles:front_page"))

    def test_withdrawing_refreshes_the_tag_page(self):
        tag = self.article.tags.get(name="Nahverkehr")
        self.assert_gone_after_withdrawal(tag.get_absolute_url())

    def test_withdrawing_refreshes_the_author_page(self):
        self.assert_gone_after_withdrawal(self.author.get_absolute_url())

    def test_withdrawing_refreshes_the_feeds(self):
        tag = self.article.tags.get(name="Stadtrat")
        for url in (
            reverse("articles:feed"),
            reverse("articles:feed_atom"),
            reverse("articles:section_feed", args=[self.politik.path]),
            reverse("articles:tag_feed", args=[tag.slug]),
        ):
            with self.subTest(url=url):
                self.assertTrue(self.shows(url))
        self.assertEqual(self.get(reverse("articles:feed"))["X-Cache"], "HIT")

        self.article.withdraw()

        for url in (
            reverse("articles:feed"),
            reverse("articles:feed_atom"),
            reverse("articles:section_feed", args=[self.politik.path]),
            reverse("articles:tag_feed", args=[tag.slug]),
        ):
            with self.subTest(url=url):
                self.assertFalse(self.shows(url))

    def test_withdrawing_refreshes_the_sitemap(self):
        self.assert_gone_after_withdrawal(
            reverse("sitemap_section", args=["artikel"]),
            text=self.article.get_absolute_url(),
        )

    def test_withdrawing_refreshes_the_news_sitemap(self):
        self.assert_gone_after_withdrawal(
            reverse("news_sitemap"), text=self.article.get_absolute_url()
        )

    def test_withdrawing_refreshes_the_related_block_that_shows_it(self):
        RelatedArticle.objects.create(
            article=self.other,
            target=self.article,
            position=0,
            source=RecommendationSource.RANKED,
        )
        self.assert_gone_after_withdrawal(self.other.get_absolute_url())

    def test_withdrawing_refreshes_the_topic_box_that_links_it(self):
        make_topic_box(self.other, self.article)
        self.assert_gone_after_withdrawal(self.other.get_absolute_url())

    def test_publishing_a_draft_shows_it_at_once(self):
        draft = make_draft(section=self.politik, headline="Neue Haltestelle geplant")
        home = reverse("articles:front_page")
        self.assertFalse(self.shows(home, "Neue Haltestelle geplant"))

        draft.publish()

        self.assertTrue(self.shows(home, "Neue Haltestelle geplant"))

    def test_editing_the_headline_refreshes_the_article_page(self):
        url = self.article.get_absolute_url()
        self.assertTrue(self.shows(url))

        self.article.headline = "Nachtbus bleibt doch"
        self.article.save()

        self.assertTrue(self.shows(url, "Nachtbus bleibt doch"))

    def test_a_correction_appears_at_once(self):
        url = self.article.get_absolute_url()
        self.assertFalse(self.shows(url, "Der Beschluss fiel einstimmig"))

        Correction.objects.create(
            article=self.article,
            kind=CorrectionKind.UPDATE,
            text="Der Beschluss fiel einstimmig.",
        )

        self.assertTrue(self.shows(url, "Der Beschluss fiel einstimmig"))

    def test_renaming_a_section_refreshes_its_pages(self):
        url = self.article.get_absolute_url()
        self.assertTrue(self.shows(url, "Politik"))

        self.politik.name = "Landespolitik"
        self.politik.save()

        self.assertTrue(self.shows(url, "Landespolitik"))

    # The clock: scheduled changes happen without anyone saving

    def test_a_scheduled_article_appears_on_time_without_a_save(self):
        make_article(
            section=self.politik,
            headline="Pünktlich um neun",
            published_at=timezone.now() + timedelta(minutes=10),
        )
        home = reverse("articles:front_page")
        self.assertFalse(self.shows(home, "Pünktlich um neun"))
        self.assertEqual(self.get(home)["X-Cache"], "HIT")

        with later(minutes=11):
            self.assertTrue(self.shows(home, "Pünktlich um neun"))

    def test_an_article_disappears_when_its_unpublish_time_comes(self):
        self.article.unpublish_at = timezone.now() + timedelta(minutes=5)
        self.article.save()
        home = reverse("articles:front_page")
        self.assertTrue(self.shows(home))

        with later(minutes=6):
            self.assertFalse(self.shows(home))
            self.assertEqual(self.get(self.article.get_absolute_url()).status_code, 404)

    def test_shared_caches_may_not_keep_a_page_past_the_next_scheduled_change(self):
        make_article(
            section=self.politik, published_at=timezone.now() + timedelta(seconds=30)
        )

        with override_settings(PAGE_SHARED_MAX_AGE=300, PAGE_STALE_WHILE_REVALIDATE=60):
            response = self.get(reverse("articles:front_page"))

        max_age = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"])[1])
        stale = int(
            re.search(r"stale-while-revalidate=(\d+)", response["Cache-Control"])[1]
        )
        self.assertLessEqual(max_age + stale, 30)
        self.assertGreater(max_age, 0)

    # Who never shares a cached page

    def test_staff_are_never_served_from_the_cache_nor_fill_it(self):
        url = self.article.get_absolute_url()
        self.client.force_login(make_editor())

        first, second = self.get(url), self.get(url)

        self.assertNotIn("X-Cache", second)
        self.assertIn("private", second["Cache-Control"])
        self.assertIn("no-store", first["Cache-Control"])
        self.client.logout()
        self.assertEqual(self.get(url)["X-Cache"], "MISS")

    def test_visitors_with_a_csrf_cookie_skip_the_cache(self):
        url = self.article.get_absolute_url()
        self.get(url)
        self.client.cookies["csrftoken"] = "x" * 32

        self.assertNotIn("X-Cache", self.get(url))

    def test_previews_are_never_cached(self):
        draft = make_draft(section=self.politik, headline="Noch geheim")
        self.client.force_login(make_editor())
        preview = reverse("articles:article_preview", args=[draft.pk])

        response = self.get(preview)

        self.assertNotIn("X-Cache", response)
        self.assertIn("no-store", response["Cache-Control"])

    def test_shared_preview_links_are_never_cached(self):
        draft = make_draft(section=self.politik, headline="Noch geheim")
        url = PreviewLink.objects.create(article=draft).get_absolute_url()

        first, second = self.get(url), self.get(url)

        self.assertContains(second, "Noch geheim")
        self.assertNotIn("X-Cache", first)
        self.assertNotIn("X-Cache", second)
        self.assertIn("no-store", second["Cache-Control"])

    def test_post_requests_neither_fill_nor_use_the_cache(self):
        url = self.article.get_absolute_url()
        self.client.post(url, HTTP_HOST=HOST)

        self.assertNotIn("X-Cache", self.client.post(url, HTTP_HOST=HOST))
        self.assertEqual(self.get(url)["X-Cache"], "MISS")

    def test_tracking_parameters_share_the_page_of_the_plain_address(self):
        url = self.article.get_absolute_url()
        self.get(url)

        response = self.get(f"{url}?utm_source=newsletter&fbclid=abc")

        self.assertEqual(response["X-Cache"], "HIT")

    def test_made_up_parameters_are_answered_but_never_stored(self):
        url = f"{self.article.get_absolute_url()}?x={'a' * 10_000}"

        first, second = self.get(url), self.get(url)

        self.assertContains(second, HEADLINE)
        self.assertNotIn("X-Cache", first)
        self.assertNotIn("X-Cache", second)

    def test_archive_pages_are_stored_apart(self):
        section = self.politik.get_absolute_url()
        older = f"{section}?{OLDER}={encode_cursor(self.other)}"
        self.get(section)

        self.assertEqual(self.get(older)["X-Cache"], "MISS")
        self.assertEqual(self.get(older)["X-Cache"], "HIT")

    def test_search_results_are_not_cached(self):
        response = self.get(reverse("articles:search"), data={"q": "Nachtbus"})

        self.assertNotIn("X-Cache", response)

    # HTTP caching headers

    def test_reader_pages_are_cacheable_by_a_cdn_without_vary(self):
        response = self.get(self.article.get_absolute_url(), **SHARED_COPY)

        cache_control = response["Cache-Control"]
        for directive in (
            "public",
            "max-age=0",
            "s-maxage=",
            "stale-while-revalidate=",
        ):
            self.assertIn(directive, cache_control)
        self.assertFalse(response.has_header("Vary"))
        self.assertTrue(response.has_header("Last-Modified"))

    def test_a_page_with_its_own_tokens_is_never_revalidated(self):
        url = self.article.get_absolute_url()
        etag = self.get(url, **SHARED_COPY)["ETag"]

        response = self.get(url, HTTP_IF_NONE_MATCH=etag)

        # A 304 would show the reader's browser spent tokens again.
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.has_header("ETag"))
        self.assertFalse(response.has_header("Last-Modified"))

    def test_a_feed_answers_304_to_anyone(self):
        url = reverse("articles:feed")
        etag = self.get(url)["ETag"]

        self.assertEqual(self.get(url, HTTP_IF_NONE_MATCH=etag).status_code, 304)

    def test_an_unchanged_page_answers_304_to_its_etag(self):
        url = self.article.get_absolute_url()
        etag = self.get(url, **SHARED_COPY)["ETag"]

        response = self.get(url, HTTP_IF_NONE_MATCH=etag, **SHARED_COPY)

        self.assertEqual(response.status_code, 304)
        self.assertEqual(response.content, b"")
        self.assertEqual(response["ETag"], etag)

    def test_an_unchanged_page_answers_304_to_if_modified_since(self):
        url = self.article.get_absolute_url()
        last_modified = self.get(url, **SHARED_COPY)["Last-Modified"]

        response = self.get(url, HTTP_IF_MODIFIED_SINCE=last_modified, **SHARED_COPY)

        self.assertEqual(response.status_code, 304)

    def test_a_changed_page_answers_in_full_to_its_old_etag(self):
        url = self.article.get_absolute_url()
        etag = self.get(url, **SHARED_COPY)["ETag"]

        self.article.headline = "Nachtbus bleibt doch"
        self.article.save()
        response = self.get(url, HTTP_IF_NONE_MATCH=etag, **SHARED_COPY)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nachtbus bleibt doch")
