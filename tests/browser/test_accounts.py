"""Signing in to the admin in chromium: locked out, and with a second factor."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from tests.accounts.test_login import code_for
from tests.browser.base import BrowserTestCase
from tests.factories import JOURNALIST, make_staff

PASSWORD = "Pressefreiheit-2026"


class SignInInBrowserTests(BrowserTestCase):
    def setUp(self):
        self.journalist = make_staff(JOURNALIST, password=PASSWORD, username="jana")

    def test_five_wrong_passwords_show_the_german_lockout_page(self):
        page = self.new_page()
        page.goto(f"{self.live_server_url}/admin/login/")
        for _ in range(5):
            page.fill("#id_username", "jana")
            page.fill("#id_password", "falsch-geraten")
            page.click("input[type=submit]")

        self.assertIn("Zu viele fehlgeschlagene Anmeldeversuche", page.content())
        self.assertIn("15 Minuten", page.content())

    def test_an_app_set_up_in_the_admin_is_asked_for_at_the_next_sign_in(self):
        page = self.log_in("jana", PASSWORD)
        page.click("text=Zwei-Faktor-Anmeldung")
        self.assertTrue(page.locator("svg").first.is_visible())
        device = self.journalist.totpdevice_set.get()
        page.fill("#id_token", code_for(device))
        page.click("input[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/admin/")

        without_code = self.new_page()
        without_code.goto(f"{self.live_server_url}/admin/login/")
        without_code.fill("#id_username", "jana")
        without_code.fill("#id_password", PASSWORD)
        without_code.click("input[type=submit]")
        device.refresh_from_db()
        # A code counts once: the app shows the next one half a minute later.
        with time_machine.travel(timezone.now() + timedelta(seconds=30)):
            with_code = self.log_in("jana", PASSWORD, code=code_for(device))

        self.assertIn(
            "Bestätigungscode aus Ihrer Authenticator-App", without_code.content()
        )
        self.assertIn("Abmelden", with_code.content())
