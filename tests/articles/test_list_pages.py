"""The lists readers browse: the front page, section, tag and author pages,
paged by older and newer links with a fixed number of queries; and no
unpublished article on any reader page."""

import re
from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    make_article,
    make_author,
    make_draft,
    make_scheduled,
    make_section,
    make_topic_box,
)


class ListPageQueryCountTests(TestCase):
    def count_queries(self, url):
        # Once before counting, so that caches filled on first use (the
        # running ad campaigns) are warm, as they are for almost every reader.
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def fill(self, count):
        news = make_section(slug=f"news-{count}")
        politik = make_section(slug="politik", parent=news)
        author = make_author()
        for n in range(count):
            make_article(
                section=politik if n % 2 else news,
                tags=[f"Tag {count}"],
                authors=[author],
            )
        return {
            "home": reverse("articles:front_page"),
            "section": news.get_absolute_url(),
            "tag": reverse("articles:tag_detail", kwargs={"slug": f"tag-{count}"}),
            "author": author.get_absolute_url(),
        }

    def test_query_count_does_not_grow_with_the_number_of_articles(self):
        few = {page: self.count_queries(url) for page, url in self.fill(5).items()}
        many = {page: self.count_queries(url) for page, url in self.fill(50).items()}

        self.assertEqual(few, many)


class DraftsStayHiddenTests(TestCase):
    """Drafts and scheduled articles appear nowhere a reader can reach."""

    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(name="Wirtschaft", slug="wirtschaft")
        cls.author = make_author()
        cls.live = make_article(
            section=cls.section, tags=["Haushalt"], authors=[cls.author]
        )
        cls.draft = make_draft(
            section=cls.section,
            headline="Geheimer Entwurf",
            tags=["Haushalt"],
            authors=[cls.author],
        )
        cls.scheduled = make_scheduled(
            section=cls.section,
            headline="Geplanter Artikel",
            tags=["Haushalt"],
            authors=[cls.author],
        )
        make_topic_box(cls.live, cls.draft, after_paragraph=1)
        make_topic_box(cls.live, cls.scheduled, after_paragraph=1)

    def assert_hidden(self, url):
        response = self.client.get(url)

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Geheimer Entwurf")
        self.assertNotContains(response, "Geplanter Artikel")

    def test_unpublished_article_pages_are_not_found(self):
        for article in (self.draft, self.scheduled):
            with self.subTest(article=article.headline):
                response = self.client.get(article.get_absolute_url())

                self.assertEqual(response.status_code, 404)
                self.assertContains(
                    response, "Diese Seite gibt es nicht", status_code=404
                )

    def test_front_page(self):
        self.assert_hidden(reverse("articles:front_page"))

    def test_section_page(self):
        self.assert_hidden(self.section.get_absolute_url())

    def test_tag_page(self):
        self.assert_hidden(reverse("articles:tag_detail", kwargs={"slug": "haushalt"}))

    def test_author_page(self):
        self.assert_hidden(self.author.get_absolute_url())

    def test_related_block_and_topic_boxes(self):
        response = self.client.get(self.live.get_absolute_url())

        self.assertNotContains(response, "Geheimer Entwurf")
        self.assertNotContains(response, "Geplanter Artikel")
        self.assertNotContains(response, "Mehr zum Thema")

    def test_tag_used_only_by_unpublished_articles_has_no_page(self):
        make_draft(tags=["Nur im Entwurf"])

        response = self.client.get(
            reverse("articles:tag_detail", kwargs={"slug": "nur-im-entwurf"})
        )

        self.assertEqual(response.status_code, 404)


class ListPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.sport = make_section(name="Sport", slug="sport")
        cls.in_news = make_article(section=cls.news, headline="Direkt in News")
        cls.in_politik = make_article(section=cls.politik, headline="Aus der Politik")
        cls.in_sport = make_article(section=cls.sport, headline="Vom Sport")
        cls.newest = make_article(section=cls.sport, headline="Neuester Aufmacher")
        cls.start = min(cls.in_sport.published_at, cls.newest.published_at)

    def test_section_page_includes_its_subsections_articles(self):
        response = self.client.get(self.news.get_absolute_url())

        self.assertContains(response, "Direkt in News")
        self.assertContains(response, "Aus der Politik")
        self.assertNotContains(response, "Vom Sport")

    def test_subsection_page_has_breadcrumbs_to_its_parent(self):
        response = self.client.get(self.politik.get_absolute_url())

        self.assertContains(response, "<h1>Politik</h1>", html=True)
        self.assertContains(
            response, f'<a href="{self.news.get_absolute_url()}">News</a>'
        )

    def test_front_page_groups_articles_by_top_level_section(self):
        response = self.client.get(reverse("articles:front_page"))

        self.assertContains(
            response, f'<a href="{self.news.get_absolute_url()}">News</a>', count=2
        )
        self.assertContains(
            response, f'<a href="{self.sport.get_absolute_url()}">Sport</a>', count=2
        )
        self.assertContains(response, "Aus der Politik")

    def test_front_page_leads_with_the_newest_article_only_once(self):
        response = self.client.get(reverse("articles:front_page"))

        self.assertContains(response, "Neuester Aufmacher", count=1)
        self.assertContains(response, '<article class="card card--large">', count=1)

    def older_link(self, response):
        return re.search(r'rel="next" href="([^"]+)"', response.content.decode())[1]

    def newer_link(self, response):
        return re.search(r'rel="prev" href="([^"]+)"', response.content.decode())[1]

    def test_section_pages_page_by_older_and_newer_links(self):
        published = [
            make_article(
                section=self.sport, published_at=self.start - timedelta(hours=n)
            )
            for n in range(1, 26)
        ]
        url = self.sport.get_absolute_url()

        first = self.client.get(url)
        second = self.client.get(url + self.older_link(first).replace("&amp;", "&"))
        third = self.client.get(url + self.older_link(second).replace("&amp;", "&"))
        back = self.client.get(url + self.newer_link(third).replace("&amp;", "&"))

        self.assertEqual(
            [a.pk for a in first.context["articles"]],
            [self.newest.pk, self.in_sport.pk] + [a.pk for a in published[:10]],
        )
        self.assertEqual(
            [a.pk for a in second.context["articles"]], [a.pk for a in published[10:22]]
        )
        self.assertEqual(
            [a.pk for a in third.context["articles"]], [a.pk for a in published[22:]]
        )
        self.assertEqual(back.context["articles"], second.context["articles"])
        self.assertContains(first, "Ältere")
        self.assertNotContains(first, "Neuere")
        self.assertContains(third, "Neuere")
        self.assertNotContains(third, "Ältere")

    def test_newer_link_near_the_top_shows_the_full_first_page(self):
        for n in range(1, 14):
            make_article(
                section=self.sport, published_at=self.start - timedelta(hours=n)
            )
        url = self.sport.get_absolute_url()
        second = self.client.get(url + self.older_link(self.client.get(url)))
        # The newest article moved out of the section since the link was made.
        self.newest.withdraw()

        back = self.client.get(url + self.newer_link(second))

        self.assertEqual(len(back.context["articles"]), 12)
        self.assertNotContains(back, "Neuere")

    def test_articles_with_the_same_time_are_neither_skipped_nor_repeated(self):
        moment = self.start - timedelta(days=1)
        same = [
            make_article(section=self.sport, published_at=moment) for _ in range(20)
        ]
        url = self.sport.get_absolute_url()

        first = self.client.get(url)
        second = self.client.get(url + self.older_link(first))

        shown = [a.pk for a in first.context["articles"]] + [
            a.pk for a in second.context["articles"]
        ]
        self.assertEqual(len(shown), len(set(shown)))
        self.assertEqual(
            set(shown), {a.pk for a in same} | {self.newest.pk, self.in_sport.pk}
        )

    def test_bad_page_numbers_and_cursors_are_not_found(self):
        for params in [
            {"page": "abc"},
            {"page": "99999"},
            {"page": "-1"},
            {"page": "0"},
            {"page": "1.5"},
            {"vor": "abc"},
            {"vor": "1-x"},
            {"vor": "99999999999999999999999-1"},
            {"nach": ""},
            {"vor": "0-1"},
        ]:
            with self.subTest(params=params):
                response = self.client.get(self.news.get_absolute_url(), params)

                self.assertEqual(response.status_code, 404)

    def test_first_page_number_is_the_first_page(self):
        for page in ["1", ""]:
            with self.subTest(page=page):
                response = self.client.get(self.news.get_absolute_url(), {"page": page})

                self.assertEqual(response.status_code, 200)

    def test_author_page_shows_bio_and_articles(self):
        author = make_author(name="Jörg Sänger", bio="Berichtet aus dem Landtag.")
        make_article(headline="Landtag beschließt Etat", authors=[author])

        response = self.client.get(author.get_absolute_url())

        self.assertEqual(author.slug, "joerg-saenger")
        self.assertContains(response, "Berichtet aus dem Landtag.")
        self.assertContains(response, "Landtag beschließt Etat")
