"""Exact invalidation: a change retires the pages that show it and leaves
every other page in the cache."""

from datetime import timedelta

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from readership.models import MostReadArticle
from tests.factories import (
    later,
    make_article,
    make_author,
    make_draft,
    make_section,
    make_topic_box,
)
from tests.pagecache.readers import HEADLINE, HOST


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class ExactInvalidationTests(TestCase):
    """A change retires the pages that show it, and leaves the rest cached."""

    @classmethod
    def setUpTestData(cls):
        cls.politik = make_section(name="Politik", slug="politik")
        cls.sport = make_section(name="Sport", slug="sport")
        cls.author = make_author(name="Jana Vogt", slug="jana-vogt")
        cls.article = make_article(
            section=cls.politik,
            headline=HEADLINE,
            tags=["Stadtrat"],
            authors=[cls.author],
        )
        cls.match = make_article(
            section=cls.sport, headline="Derby endet torlos", tags=["Fußball"]
        )
        # Enough sport for the match's "Das könnte Sie auch interessieren".
        for _ in range(4):
            make_article(section=cls.sport)

    def get(self, url):
        return self.client.get(url, HTTP_HOST=HOST)

    def cached(self, *urls):
        for url in urls:
            self.assertEqual(self.get(url).status_code, 200, url)
        return urls

    def assert_still_cached(self, *urls):
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.get(url)["X-Cache"], "HIT")

    def assert_refreshed(self, *urls):
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.get(url)["X-Cache"], "MISS")

    def test_editing_an_article_keeps_pages_that_do_not_show_it(self):
        unrelated = self.cached(
            self.match.get_absolute_url(),
            self.sport.get_absolute_url(),
            self.match.tags.get().get_absolute_url(),
        )
        showing = self.cached(
            self.article.get_absolute_url(),
            self.politik.get_absolute_url(),
            reverse("articles:front_page"),
        )

        self.article.headline = "Nachtbus bleibt doch"
        self.article.save()

        self.assert_still_cached(*unrelated)
        self.assert_refreshed(*showing)

    def test_publishing_in_one_section_keeps_the_other_sections_pages(self):
        draft = make_draft(section=self.politik, headline="Neue Haltestelle geplant")
        unrelated = self.cached(
            self.sport.get_absolute_url(), self.match.get_absolute_url()
        )
        section = self.cached(self.politik.get_absolute_url())[0]

        draft.publish()

        self.assert_still_cached(*unrelated)
        self.assertContains(self.get(section), "Neue Haltestelle geplant")

    def test_a_scheduled_article_refreshes_only_its_own_lists_when_it_appears(self):
        make_article(
            section=self.politik,
            headline="Pünktlich um neun",
            published_at=timezone.now() + timedelta(seconds=20),
        )
        unrelated = self.cached(
            self.sport.get_absolute_url(), self.match.get_absolute_url()
        )
        section = self.cached(self.politik.get_absolute_url())[0]

        # Within the pages' own minute, so only the clock can retire them.
        with later(seconds=30):
            self.assert_still_cached(*unrelated)
            self.assertContains(self.get(section), "Pünktlich um neun")

    def test_editing_a_draft_retires_nothing(self):
        draft = make_draft(section=self.politik)
        pages = self.cached(
            reverse("articles:front_page"), self.politik.get_absolute_url()
        )

        draft.headline = "Noch in Arbeit"
        draft.save()

        self.assert_still_cached(*pages)

    def test_moving_an_article_refreshes_the_section_it_moves_to(self):
        sport_page = self.cached(self.sport.get_absolute_url())[0]

        self.article.section = self.sport
        self.article.save()

        self.assertContains(self.get(sport_page), HEADLINE)

    def test_tagging_an_article_refreshes_the_tag_page(self):
        tag_page = self.cached(self.match.tags.get().get_absolute_url())[0]

        self.article.tags.add("Fußball")

        self.assertContains(self.get(tag_page), HEADLINE)

    def test_adding_an_author_refreshes_the_author_page(self):
        other_author = make_author(name="Lena Roth", slug="lena-roth")
        make_article(section=self.sport, authors=[other_author])
        author_page = self.cached(other_author.get_absolute_url())[0]

        self.article.authors.add(other_author)

        self.assertContains(self.get(author_page), HEADLINE)

    def test_renaming_a_tag_refreshes_the_pages_that_show_it(self):
        tag = self.article.tags.get()
        showing = self.cached(self.article.get_absolute_url(), tag.get_absolute_url())
        unrelated = self.cached(self.match.get_absolute_url())

        tag.name = "Gemeinderat"
        tag.save()

        self.assert_still_cached(*unrelated)
        for url in showing:
            self.assertContains(self.get(url), "Gemeinderat")

    def test_a_new_author_bio_refreshes_the_author_page_only(self):
        author_page = self.cached(self.author.get_absolute_url())[0]
        unrelated = self.cached(self.match.get_absolute_url())

        self.author.bio = "Berichtet seit 2010 aus dem Rathaus."
        self.author.save()

        self.assert_still_cached(*unrelated)
        self.assertContains(self.get(author_page), "seit 2010 aus dem Rathaus")

    def test_a_new_section_appears_in_the_navigation_everywhere(self):
        page = self.cached(self.match.get_absolute_url())[0]

        make_section(name="Kultur", slug="kultur")

        self.assertContains(self.get(page), "Kultur")

    def test_a_topic_box_change_refreshes_the_article_page_only(self):
        unrelated = self.cached(self.match.get_absolute_url())
        page = self.cached(self.article.get_absolute_url())[0]

        make_topic_box(self.article, self.match)

        self.assert_still_cached(*unrelated)
        self.assertContains(self.get(page), "Derby endet torlos")

    def test_deleting_an_article_refreshes_the_pages_that_showed_it(self):
        pages = self.cached(
            reverse("articles:front_page"),
            self.politik.get_absolute_url(),
            self.author.get_absolute_url(),
        )

        self.article.delete()

        for url in pages:
            self.assertNotContains(self.get(url), HEADLINE)

    def test_a_shared_part_keeps_what_it_shows_for_every_page_that_uses_it(self):
        MostReadArticle.objects.create(
            position=1, article=self.article, views=500, computed_at=timezone.now()
        )
        # The first page renders "Meistgelesen", the second reuses it.
        first, second = self.cached(
            reverse("articles:front_page"), self.match.get_absolute_url()
        )
        self.assertContains(self.get(second), HEADLINE)

        self.article.withdraw()

        for url in (first, second):
            with self.subTest(url=url):
                self.assertNotContains(self.get(url), HEADLINE)
