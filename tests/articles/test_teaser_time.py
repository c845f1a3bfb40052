"""Every teaser says when its story appeared, in Berlin time."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import TestCase, override_settings
from django.urls import reverse

from articles.templatetags.articles import teaser_time
from tests.factories import make_article, make_author, make_section

BERLIN = ZoneInfo("Europe/Berlin")
HOST = "www.newsroom-zeitung.de"


def at(*moment):
    return datetime(*moment, tzinfo=BERLIN)


def clock_at(*moment):
    """Pretend it is `moment` in Berlin."""
    return mock.patch("django.utils.timezone.now", return_value=at(*moment))


class TeaserTimeTests(TestCase):
    def test_today_shows_the_clock_time(self):
        with clock_at(2026, 12, 3, 16, 0):
            html = teaser_time(at(2026, 12, 3, 14, 32, 5, 123456))

        self.assertHTMLEqual(
            html,
            '<time class="teaser-time" datetime="2026-12-03T14:32:05+01:00">'
            "14:32</time>",
        )

    def test_yesterday_says_so(self):
        with clock_at(2026, 12, 3, 0, 10):
            html = teaser_time(at(2026, 12, 2, 23, 50))

        self.assertIn(">gestern, 23:50</time>", html)

    def test_older_stories_show_their_date_in_german(self):
        with clock_at(2026, 12, 3, 9, 0):
            html = teaser_time(at(2026, 3, 29, 1, 30))

        self.assertIn('datetime="2026-03-29T01:30:00+01:00"', html)
        self.assertIn(">29. März 2026</time>", html)

    def test_the_day_is_counted_in_berlin_not_in_utc(self):
        # 23:30 UTC on 2 December is already 3 December in Berlin.
        with clock_at(2026, 12, 3, 8, 0):
            html = teaser_time(datetime(2026, 12, 2, 23, 30, tzinfo=ZoneInfo("UTC")))

        self.assertIn(">00:30</time>", html)

    def test_summer_time_is_written_with_its_offset(self):
        with clock_at(2026, 7, 10, 12, 0):
            html = teaser_time(at(2026, 7, 10, 9, 15))

        self.assertIn('datetime="2026-07-10T09:15:00+02:00"', html)


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class TeasersOnEveryListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(name="Politik", slug="politik")
        cls.author = make_author(name="Jana Vogt", slug="jana-vogt")
        cls.article = make_article(
            section=cls.section,
            headline="Hafenfest wird verlegt",
            tags=["Hafen"],
            authors=[cls.author],
        )

    def test_home_ressort_topic_author_and_search_pages_show_the_time(self):
        pages = [
            reverse("articles:front_page"),
            self.section.get_absolute_url(),
            reverse("articles:tag_detail", args=["hafen"]),
            self.author.get_absolute_url(),
            reverse("articles:search") + "?q=Hafenfest",
        ]
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_HOST=HOST)
                self.assertContains(response, 'class="teaser-time"')
                self.assertNotRegex(
                    response.content.decode(), r'datetime="[^"]*\.\d+[^"]*"'
                )

    def test_a_stored_page_that_says_today_is_retired_at_midnight(self):
        # A night after the test database was made: the clock is applied
        # from its making on, so a midnight before it never comes.
        home = reverse("articles:front_page")
        with clock_at(2036, 12, 3, 23, 59, 30):
            self.article.published_at = at(2036, 12, 3, 22, 30)
            self.article.save()
            self.assertContains(self.client.get(home, HTTP_HOST=HOST), ">22:30<")
            self.assertEqual(self.client.get(home, HTTP_HOST=HOST)["X-Cache"], "HIT")

        with clock_at(2036, 12, 4, 0, 0, 10):
            response = self.client.get(home, HTTP_HOST=HOST)

        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, ">gestern, 22:30<")

    def test_a_page_of_older_stories_is_kept_over_midnight(self):
        # After the test database was made, as in the test above.
        tag_page = reverse("articles:tag_detail", args=["hafen"])
        with clock_at(2036, 12, 3, 23, 59, 30):
            self.article.published_at = at(2036, 11, 20, 10, 0)
            self.article.save()
            self.client.get(tag_page, HTTP_HOST=HOST)

        with clock_at(2036, 12, 4, 0, 0, 10):
            response = self.client.get(tag_page, HTTP_HOST=HOST)

        self.assertEqual(response["X-Cache"], "HIT")
