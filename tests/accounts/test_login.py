"""Signing in to the admin: throttled, optionally with a second factor."""

from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import JOURNALIST, make_editor, make_staff

PASSWORD = "Redaktionsschluss-2026"
# What is under test is who gets in, not the hash: the real one costs half a
# second a password.
fast_hashing = override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
)


def code_for(device):
    """The code the person's app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


@fast_hashing
class LoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_staff(JOURNALIST, password=PASSWORD, username="jana")
        cls.colleague = make_staff(JOURNALIST, password=PASSWORD, username="jonas")

    def log_in(self, username, password, address="198.51.100.7", **extra):
        return self.client.post(
            reverse("admin:login"),
            {
                "username": username,
                "password": password,
                "next": reverse("admin:index"),
            },
            REMOTE_ADDR=address,
            **extra,
        )

    def fail_five_times(self, username="jana", **kwargs):
        for attempt in range(5):
            response = self.log_in(username, f"falsch-{attempt}", **kwargs)
        return response

    def test_four_wrong_passwords_still_let_the_right_one_in(self):
        for attempt in range(4):
            self.log_in("jana", f"falsch-{attempt}")

        response = self.log_in("jana", PASSWORD)

        self.assertRedirects(response, reverse("admin:index"))

    def test_five_wrong_passwords_lock_the_account_out_in_german(self):
        self.fail_five_times()

        response = self.log_in("jana", PASSWORD)

        self.assertContains(
            response, "Zu viele fehlgeschlagene Anmeldeversuche", status_code=429
        )
        self.assertContains(response, "15 Minuten", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lockout_ends_after_the_cool_off(self):
        self.fail_five_times()

        with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
            response = self.log_in("jana", PASSWORD)

        self.assertRedirects(response, reverse("admin:index"))

    def test_other_people_and_other_addresses_are_not_locked_out(self):
        self.fail_five_times()

        colleague = self.log_in("jonas", PASSWORD)
        self.client.logout()
        elsewhere = self.log_in("jana", PASSWORD, address="203.0.113.9")

        self.assertRedirects(colleague, reverse("admin:index"))
        self.assertRedirects(elsewhere, reverse("admin:index"))

    def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(self):
        for attempt in range(5):
            self.log_in("jana", "falsch", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

        response = self.log_in("jana", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

        self.assertEqual(response.status_code, 429)

    @override_settings(BEHIND_PROXY=True)
    def test_behind_the_proxy_the_address_it_saw_counts(self):
        self.fail_five_times(HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.20")

        locked = self.log_in("jana", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20")
        other = self.log_in("jana", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.21")

        self.assertEqual(locked.status_code, 429)
        self.assertRedirects(other, reverse("admin:index"))


@fast_hashing
class TwoFactorLoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor(username="chefin")
        cls.editor.set_password(PASSWORD)
        cls.editor.save()
        cls.device = TOTPDevice.objects.create(
            user=cls.editor, name="Telefon", confirmed=True
        )
        cls.journalist = make_staff(JOURNALIST, password=PASSWORD, username="jana")

    def log_in(self, username, token=""):
        return self.client.post(
            reverse("admin:login"),
            {
                "username": username,
                "password": PASSWORD,
                "otp_token": token,
                "next": reverse("admin:index"),
            },
        )

    def test_the_password_alone_does_not_open_the_admin(self):
        response = self.log_in("chefin")

        self.assertContains(response, "Bestätigungscode aus Ihrer Authenticator-App")
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 302)

    def test_a_wrong_code_does_not_open_the_admin(self):
        response = self.log_in("chefin", token="000000")

        self.assertContains(response, "Dieser Bestätigungscode stimmt nicht")
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 302)

    def test_password_and_current_code_open_the_admin(self):
        response = self.log_in("chefin", token=code_for(self.device))

        self.assertRedirects(response, reverse("admin:index"))

    def test_people_without_an_app_sign_in_with_their_password(self):
        response = self.log_in("jana")

        self.assertRedirects(response, reverse("admin:index"))

    def test_a_session_without_the_second_factor_does_not_count(self):
        self.client.force_login(self.editor)

        response = self.client.get(reverse("admin:index"))

        self.assertRedirects(
            response, f"{reverse('admin:login')}?next={reverse('admin:index')}"
        )

    @override_settings(TWO_FACTOR_REQUIRED_FOR="staff")
    def test_when_compulsory_staff_without_an_app_are_refused(self):
        response = self.log_in("jana")

        self.assertContains(response, "Zwei-Faktor-Anmeldung vorgeschrieben")
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 302)

    @override_settings(TWO_FACTOR_REQUIRED_FOR="superusers")
    def test_compulsory_for_superusers_leaves_other_staff_alone(self):
        response = self.log_in("jana")

        self.assertRedirects(response, reverse("admin:index"))


@fast_hashing
class TwoFactorSetupTests(TestCase):
    def setUp(self):
        self.user = make_staff(JOURNALIST, password=PASSWORD, username="jana")
        self.client.force_login(self.user)
        self.url = reverse("admin:two_factor")

    def test_the_page_shows_a_qr_code_and_the_key(self):
        response = self.client.get(self.url)

        device = TOTPDevice.objects.get(user=self.user)
        self.assertContains(response, "<svg")
        self.assertContains(response, "Schlüssel von Hand")
        self.assertIs(device.confirmed, False)

    def test_an_app_is_only_set_up_once_it_gave_a_right_code(self):
        self.client.get(self.url)
        device = TOTPDevice.objects.get(user=self.user)

        wrong = self.client.post(self.url, {"token": "000000"})
        device.refresh_from_db()
        confirmed_after_wrong = device.confirmed
        # A wrong code makes the app wait a moment before the next try.
        with time_machine.travel(timezone.now() + timedelta(seconds=2)):
            right = self.client.post(self.url, {"token": code_for(device)})

        self.assertContains(wrong, "Dieser Bestätigungscode stimmt nicht")
        self.assertIs(confirmed_after_wrong, False)
        self.assertRedirects(right, reverse("admin:index"))
        device.refresh_from_db()
        self.assertIs(device.confirmed, True)

    def test_after_setting_up_the_next_sign_in_asks_for_the_code(self):
        self.client.get(self.url)
        device = TOTPDevice.objects.get(user=self.user)
        self.client.post(self.url, {"token": code_for(device)})
        self.client.logout()

        response = self.client.post(
            reverse("admin:login"), {"username": "jana", "password": PASSWORD}
        )

        self.assertContains(response, "Bestätigungscode aus Ihrer Authenticator-App")


class PasswordRulesTests(TestCase):
    def setUp(self):
        self.client.force_login(make_editor())

    def test_new_staff_accounts_refuse_weak_passwords_in_german(self):
        for password, message in [
            ("Kurz-2026", "Dieses Passwort ist zu kurz"),
            ("1qaz2wsx3edc", "Dieses Passwort ist zu üblich"),
            ("483920174829", "Dieses Passwort ist komplett numerisch"),
        ]:
            with self.subTest(password=password):
                response = self.client.post(
                    reverse("admin:auth_user_add"),
                    {
                        "username": "neu",
                        "usable_password": "true",
                        "password1": password,
                        "password2": password,
                    },
                )

                self.assertContains(response, message)
                self.assertFalse(
                    get_user_model().objects.filter(username="neu").exists()
                )

    def test_a_password_change_refuses_one_like_the_user_name(self):
        user = make_staff(JOURNALIST, username="redakteurin-mueller")

        response = self.client.post(
            reverse("admin:auth_user_password_change", args=[user.pk]),
            {
                "usable_password": "true",
                "password1": "redakteurin-mueller",
                "password2": "redakteurin-mueller",
            },
        )

        self.assertContains(response, "Das Passwort ist zu ähnlich")
