"""Eilmeldung: a banner on every reader page, cached ones included, from
its start to its end; only the desk starts one, and the history says who."""

from datetime import timedelta

import time_machine
from django.contrib.admin.models import LogEntry
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from live.models import Eilmeldung
from tests.factories import (
    later,
    make_article,
    make_desk_editor,
    make_draft,
    make_eilmeldung,
    make_journalist,
)

BANNER = 'class="eilmeldung"'


class BannerOnCachedPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Wahlabend in Berlin")
        cls.url = cls.article.get_absolute_url()

    def cached(self, url):
        """The page, after making sure it is in the page cache."""
        self.client.get(url)
        response = self.client.get(url)
        self.assertEqual(response["X-Cache"], "HIT")
        return response

    def test_an_already_cached_page_shows_the_banner_once_it_starts(self):
        self.assertNotContains(self.cached(self.url), BANNER)

        make_eilmeldung(text="Kanzlerin tritt zurück", article=None)

        response = self.client.get(self.url)
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, BANNER)
        self.assertContains(response, "Kanzlerin tritt zurück")

    def test_ending_by_hand_takes_it_off_cached_pages(self):
        eilmeldung = make_eilmeldung()
        self.assertContains(self.cached(self.url), BANNER)

        eilmeldung.end(user=None)

        self.assertNotContains(self.client.get(self.url), BANNER)

    def test_it_ends_at_its_set_time_without_a_job(self):
        make_eilmeldung(ends_at=timezone.now() + timedelta(minutes=10))
        self.assertContains(self.cached(self.url), BANNER)

        with later(minutes=11):
            response = self.client.get(self.url)

        self.assertNotContains(response, BANNER)

    def test_shared_caches_keep_no_page_past_its_end(self):
        # The clock stands still: the answer is measured against exactly the
        # three seconds left, however slow the machine.
        with time_machine.travel(timezone.now(), tick=False):
            make_eilmeldung(ends_at=timezone.now() + timedelta(seconds=3))

            response = self.client.get(self.url)

        seconds = dict(
            part.strip().split("=")
            for part in response["Cache-Control"].split(",")
            if "=" in part
        )
        self.assertLessEqual(
            int(seconds["s-maxage"]) + int(seconds["stale-while-revalidate"]), 3
        )

    def test_every_reader_page_shows_it(self):
        make_eilmeldung(text="Erdbeben in der Region")
        for url in (
            reverse("articles:front_page"),
            self.article.section.get_absolute_url(),
            self.url,
            reverse("articles:search") + "?q=Wahl",
        ):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Erdbeben in der Region")

    def test_a_banner_from_an_article_links_to_it_with_its_headline(self):
        make_eilmeldung(text="", article=self.article)

        response = self.client.get(reverse("articles:front_page"))

        self.assertContains(
            response, f'<a href="{self.url}">Wahlabend in Berlin</a>', html=True
        )

    def test_readers_may_close_it_with_a_static_script_and_get_no_cookie(self):
        make_eilmeldung()

        response = self.client.get(self.url)

        self.assertContains(response, "Eilmeldung auf dieser Seite ausblenden")
        self.assertContains(response, "/static/live/eilmeldung")
        self.assertEqual(response.cookies, {})

    def test_pages_that_do_not_show_it_stay_cached(self):
        feed = reverse("articles:feed")
        self.client.get(feed)

        make_eilmeldung()

        self.assertEqual(self.client.get(feed)["X-Cache"], "HIT")


class StartingAndEndingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.journalist = make_journalist()
        cls.article = make_article()

    def start(self, user, **data):
        self.client.force_login(user)
        return self.client.post(
            reverse("admin:live_eilmeldung_add"),
            {"text": "Zugunglück bei Hamm", "article": "", "link": "", **data},
        )

    def test_the_desk_starts_one_and_the_history_says_who(self):
        response = self.start(self.desk)

        self.assertEqual(response.status_code, 302)
        eilmeldung = Eilmeldung.objects.get()
        self.assertTrue(eilmeldung.is_running)
        self.assertEqual(eilmeldung.started_by, self.desk)
        version = Version.objects.get_for_object(eilmeldung).get()
        self.assertEqual(version.revision.user, self.desk)
        self.assertEqual(version.revision.comment, "Eilmeldung gestartet")

    def test_a_journalist_may_not_start_one(self):
        response = self.start(self.journalist)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Eilmeldung.objects.exists())

    def test_a_desk_role_without_publishing_may_not_start_one(self):
        self.desk.groups.first().permissions.remove(
            *self.desk.groups.first().permissions.filter(codename="publish_article")
        )

        self.assertEqual(self.start(self.desk).status_code, 403)

    def test_ending_is_in_the_history(self):
        eilmeldung = make_eilmeldung()
        self.client.force_login(self.desk)

        self.client.post(
            reverse("admin:live_eilmeldung_changelist"),
            {"action": "end_now", "_selected_action": [eilmeldung.pk]},
        )

        eilmeldung.refresh_from_db()
        self.assertFalse(eilmeldung.is_running)
        self.assertEqual(eilmeldung.ended_by, self.desk)
        self.assertEqual(
            Version.objects.get_for_object(eilmeldung).first().revision.comment,
            "Eilmeldung beendet",
        )
        self.assertTrue(
            LogEntry.objects.filter(
                object_id=str(eilmeldung.pk), change_message="Eilmeldung beendet"
            ).exists()
        )

    def test_a_journalist_may_not_end_one(self):
        eilmeldung = make_eilmeldung()
        self.client.force_login(self.journalist)

        self.client.post(
            reverse("admin:live_eilmeldung_changelist"),
            {"action": "end_now", "_selected_action": [eilmeldung.pk]},
        )

        eilmeldung.refresh_from_db()
        self.assertTrue(eilmeldung.is_running)

    def test_nothing_to_say_is_refused_in_german(self):
        response = self.start(self.desk, text="")

        self.assertContains(
            response, "Bitte einen Text schreiben oder einen Artikel wählen."
        )
        self.assertFalse(Eilmeldung.objects.exists())

    def test_an_unpublished_article_is_refused(self):
        draft = make_draft()

        response = self.start(self.desk, text="", article=draft.pk)

        self.assertContains(response, "nicht veröffentlicht")
        self.assertFalse(Eilmeldung.objects.exists())

    def test_an_end_in_the_past_is_refused(self):
        response = self.start(self.desk, ends_at_0="01.01.2020", ends_at_1="10:00")

        self.assertContains(response, "Das Ende muss in der Zukunft liegen.")

    def test_no_one_deletes_one(self):
        eilmeldung = make_eilmeldung()
        self.client.force_login(self.desk)

        response = self.client.get(
            reverse("admin:live_eilmeldung_delete", args=[eilmeldung.pk])
        )

        self.assertEqual(response.status_code, 403)
