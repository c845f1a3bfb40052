"""Admin sessions end with the browser, after an idle hour and after a working day."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.factories import JOURNALIST, make_staff


class SessionExpiryTests(TestCase):
    def setUp(self):
        self.start = timezone.now()
        with time_machine.travel(self.start, tick=False):
            self.client.force_login(make_staff(JOURNALIST))

    def admin_index_after(self, **elapsed):
        with time_machine.travel(self.start + timedelta(**elapsed), tick=False):
            return self.client.get(reverse("admin:index"))

    def test_the_session_cookie_ends_with_the_browser(self):
        response = self.admin_index_after(minutes=1)

        self.assertEqual(response.status_code, 200)
        self.assertIs(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, True)
        self.assertEqual(
            self.client.cookies[settings.SESSION_COOKIE_NAME]["expires"], ""
        )

    def test_59_idle_minutes_keep_the_session(self):
        response = self.admin_index_after(minutes=59)

        self.assertEqual(response.status_code, 200)

    def test_an_idle_hour_signs_out_with_a_german_note(self):
        response = self.admin_index_after(minutes=61)
        login = self.client.get(response.url)

        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.url.startswith(reverse("admin:login")))
        self.assertContains(login, "Sie waren zu lange inaktiv und wurden abgemeldet")

    def test_activity_keeps_the_session_alive_but_not_past_a_working_day(self):
        answers = {
            minutes: self.admin_index_after(minutes=minutes).status_code
            for minutes in range(40, 8 * 60 + 41, 40)
        }

        self.assertEqual(answers[7 * 60 + 20], 200)
        self.assertEqual(answers[8 * 60], 200)
        self.assertEqual(answers[8 * 60 + 40], 302)

    def test_readers_get_no_session(self):
        self.client.logout()

        response = self.client.get(reverse("articles:front_page"))

        self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)
