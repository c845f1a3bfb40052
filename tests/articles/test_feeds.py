from datetime import timedelta

import feedparser
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    image_file,
    make_article,
    make_author,
    make_draft,
    make_scheduled,
    make_section,
)

HOST = "www.newsroom-zeitung.de"


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.sport = make_section(name="Sport", slug="sport")
        cls.author = make_author(name="Jana Vogt")
        cls.article = make_article(
            section=cls.politik,
            headline="Landtag beschließt „Haushalt 2027“ & mehr",
            lead="Nach langer Debatte steht der Etat.",
            image=image_file(size=(1600, 900)),
            tags=["Landtag", "Haushalt"],
            authors=[cls.author],
        )
        cls.sport_article = make_article(
            section=cls.sport, headline="Derby endet torlos", tags=["Fußball"]
        )
        make_draft(section=cls.politik, headline="Geheimer Entwurf", tags=["Landtag"])
        make_scheduled(
            section=cls.politik, headline="Geplanter Artikel", tags=["Landtag"]
        )

    def feeds(self):
        return {
            "site rss": reverse("articles:feed"),
            "site atom": reverse("articles:feed_atom"),
            "section rss": reverse("articles:section_feed", args=["news"]),
            "section atom": reverse(
                "articles:section_feed_atom", args=["news/politik"]
            ),
            "tag rss": reverse("articles:tag_feed", args=["landtag"]),
            "tag atom": reverse("articles:tag_feed_atom", args=["landtag"]),
        }

    def parse(self, url, host=HOST):
        response = self.client.get(url, HTTP_HOST=host)
        self.assertEqual(response.status_code, 200)
        return feedparser.parse(response.content)

    def test_every_feed_is_well_formed(self):
        for name, url in self.feeds().items():
            with self.subTest(feed=name):
                feed = self.parse(url)

                self.assertFalse(feed.bozo, feed.get("bozo_exception"))
                self.assertEqual(feed.feed.language, "de")
                self.assertTrue(feed.entries)

    def test_rss_and_atom_are_what_they_say(self):
        self.assertEqual(self.parse(reverse("articles:feed")).version, "rss20")
        self.assertEqual(self.parse(reverse("articles:feed_atom")).version, "atom10")

    def test_items_carry_full_metadata_on_the_real_host(self):
        for name in ("site rss", "site atom"):
            with self.subTest(feed=name):
                entry = self.parse(self.feeds()[name]).entries[-1]

                self.assertEqual(
                    entry.title, "Landtag beschließt „Haushalt 2027“ & mehr"
                )
                self.assertEqual(
                    entry.link,
                    f"http://www.newsroom-zeitung.de{self.article.get_absolute_url()}",
                )
                self.assertEqual(entry.id, f"urn:newsroom:artikel:{self.article.pk}")
                self.assertEqual(entry.summary, "Nach langer Debatte steht der Etat.")
                self.assertEqual(entry.author, "Jana Vogt")
                self.assertIsNotNone(entry.published_parsed)
                self.assertEqual(
                    {tag.term for tag in entry.tags}, {"Politik", "Landtag", "Haushalt"}
                )
                enclosure = entry.enclosures[0]
                self.assertTrue(
                    enclosure.href.startswith("http://www.newsroom-zeitung.de/media/")
                )
                self.assertEqual(enclosure.type, "image/jpeg")
                self.assertGreater(int(enclosure.length), 0)

    def test_atom_links_the_author(self):
        entry = self.parse(reverse("articles:feed_atom")).entries[-1]

        self.assertEqual(
            entry.author_detail.href,
            f"http://www.newsroom-zeitung.de{self.author.get_absolute_url()}",
        )

    def test_unpublished_articles_never_appear(self):
        for name, url in self.feeds().items():
            with self.subTest(feed=name):
                response = self.client.get(url)

                self.assertNotContains(response, "Geheimer Entwurf")
                self.assertNotContains(response, "Geplanter Artikel")

    def test_section_and_tag_feeds_hold_only_their_articles(self):
        section = self.parse(reverse("articles:section_feed", args=["news"]))
        tag = self.parse(reverse("articles:tag_feed", args=["fussball"]))

        self.assertEqual([e.title for e in section.entries], [self.article.headline])
        self.assertEqual([e.title for e in tag.entries], ["Derby endet torlos"])

    def test_newest_first(self):
        make_article(section=self.sport, headline="Ganz neu")
        old = make_article(headline="Uralt")
        type(old).objects.filter(pk=old.pk).update(
            published_at=old.published_at - timedelta(days=30)
        )

        titles = [e.title for e in self.parse(reverse("articles:feed")).entries]

        self.assertEqual(titles[0], "Ganz neu")
        self.assertEqual(titles[-1], "Uralt")

    def test_unknown_sections_and_tags_are_not_found(self):
        for url in [
            reverse("articles:section_feed", args=["gibt-es-nicht"]),
            reverse("articles:tag_feed_atom", args=["gibt-es-nicht"]),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_pages_announce_their_feeds(self):
        home = self.client.get(reverse("articles:front_page"))
        section = self.client.get(self.politik.get_absolute_url())

        self.assertContains(home, f'href="{reverse("articles:feed")}"')
        self.assertContains(
            section, f'href="{reverse("articles:section_feed", args=["news/politik"])}"'
        )

    def test_query_count_does_not_grow_with_the_number_of_items(self):
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("articles:feed"))
        for number in range(10):
            make_article(
                headline=f"Meldung {number}", tags=["A", "B"], authors=[self.author]
            )
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("articles:feed"))

        self.assertEqual(len(few), len(many))
