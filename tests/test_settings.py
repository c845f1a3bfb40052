"""Production settings come from the environment and pass Django's checks."""

import os
import secrets
import subprocess
import sys
from unittest import mock

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from newsroom.env import env_float, env_int, s3_media_storage

# What README "Production" asks an installation behind nginx to set.
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "www.newsroom.example",
    "DJANGO_HTTPS": "1",
    "DJANGO_BEHIND_PROXY": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}


def manage(*args, **env):
    """Run manage.py in a fresh process with only the given DJANGO_* variables."""
    return manage_like([sys.executable, "manage.py", *args], env)


def manage_like(command, env):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
    }
    return subprocess.run(
        command,
        env={**environment, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


class DeployCheckTests(SimpleTestCase):
    def test_production_settings_pass_the_deploy_check_without_a_warning(self):
        done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("System check identified no issues", done.stdout)

    def test_local_settings_are_flagged_by_the_deploy_check(self):
        done = manage(
            "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY="x" * 50
        )

        self.assertNotEqual(done.returncode, 0)
        for warning in ("W004", "W008", "W012", "W016"):
            self.assertIn(f"security.{warning}", done.stderr)


class ProxyHeaderTests(SimpleTestCase):
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"

    def test_x_forwarded_proto_counts_only_behind_our_proxy(self):
        behind = manage("shell", "-v", "0", "-c", self.code, **PRODUCTION)
        direct = manage(
            "shell",
            "-v",
            "0",
            "-c",
            self.code,
            **{**PRODUCTION, "DJANGO_BEHIND_PROXY": "0"},
        )

        self.assertEqual(behind.stdout.strip(), "('HTTP_X_FORWARDED_PROTO', 'https')")
        self.assertEqual(direct.stdout.strip(), "None")


def start_the_site(**env):
    """Load the WSGI application in a fresh process, as gunicorn does."""
    return manage_like([sys.executable, "-c", "import newsroom.wsgi"], env)


class SecretKeyTests(SimpleTestCase):
    def test_without_debug_the_site_refuses_to_start_without_a_key(self):
        done = start_the_site()

        self.assertNotEqual(done.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY ist nicht gesetzt", done.stderr)
        self.assertIn("Schlüssel aus der Umgebung", done.stderr)

    def test_the_local_key_file_needs_debug_or_the_explicit_opt_in(self):
        for env in ({"DJANGO_DEBUG": "1"}, {"DJANGO_ALLOW_LOCAL_SECRET_KEY": "1"}):
            with self.subTest(env):
                self.assertEqual(start_the_site(**env).returncode, 0)

    def test_commands_in_a_checkout_use_the_local_key(self):
        done = manage("makemigrations", "--check", "--dry-run")

        self.assertEqual(done.returncode, 0, done.stderr)


# Every command of devtools and demo.
DEVELOPMENT_COMMANDS = [
    "bench_ad_beacon",
    "bench_article_page",
    "bench_http",
    "bench_related",
    "bench_size",
    "generate_archive",
    "load_test",
    "outage_drill",
    "load_demo_content",
    "load_demo_ads",
    "create_demo_admin",
]


def listed_commands(**env):
    done = manage("help", "--commands", **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


class DevelopmentAppsTests(SimpleTestCase):
    def test_production_settings_install_neither_tooling_nor_demo(self):
        code = (
            "from django.apps import apps; "
            "print(apps.is_installed('devtools'), apps.is_installed('demo'))"
        )

        done = manage("shell", "-v", "0", "-c", code, **PRODUCTION)

        self.assertEqual(done.stdout.strip(), "False False", done.stderr)

    def test_production_offers_none_of_the_development_commands(self):
        commands = listed_commands(**PRODUCTION)

        self.assertIn("backup", commands)
        for command in DEVELOPMENT_COMMANDS:
            self.assertNotIn(command, commands)

    def test_development_offers_every_command(self):
        for env in ({"DJANGO_DEVTOOLS": "1"}, {"DJANGO_DEBUG": "1"}):
            with self.subTest(env):
                commands = listed_commands(**env)

                for command in DEVELOPMENT_COMMANDS:
                    self.assertIn(command, commands)


class EnvironmentNumberTests(SimpleTestCase):
    def test_a_number_is_read_and_a_missing_one_takes_the_default(self):
        with mock.patch.dict(os.environ, {"DJANGO_PAGE_CACHE_SECONDS": " 30 "}):
            self.assertEqual(env_int("DJANGO_PAGE_CACHE_SECONDS", 60), 30)
            self.assertEqual(env_int("DJANGO_NOT_SET_ANYWHERE", 60), 60)

    def test_a_decimal_number_may_have_a_point(self):
        with mock.patch.dict(os.environ, {"DJANGO_SESSION_HOURS": "1.5"}):
            self.assertEqual(env_float("DJANGO_SESSION_HOURS", 8), 1.5)

    def test_a_bad_value_names_the_variable_and_the_value(self):
        with mock.patch.dict(os.environ, {"DJANGO_LOGIN_FAILURE_LIMIT": "fünf"}):
            with self.assertRaisesMessage(
                ImproperlyConfigured,
                "DJANGO_LOGIN_FAILURE_LIMIT muss eine ganze Zahl sein, nicht „fünf“.",
            ):
                env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)

    def test_the_site_refuses_to_start_with_a_bad_number(self):
        done = start_the_site(DJANGO_DEBUG="1", DJANGO_PAGE_CACHE_SECONDS="60s")

        self.assertNotEqual(done.returncode, 0)
        self.assertIn(
            "DJANGO_PAGE_CACHE_SECONDS muss eine ganze Zahl sein", done.stderr
        )


class MediaStorageTests(SimpleTestCase):
    def test_media_stay_on_the_disk_without_a_bucket(self):
        self.assertIsNone(s3_media_storage({"DJANGO_S3_REGION": "eu-central-1"}, "x"))
        self.assertEqual(
            settings.STORAGES["default"]["BACKEND"],
            "django.core.files.storage.FileSystemStorage",
        )

    def test_a_bucket_in_the_environment_puts_media_into_it(self):
        storage = s3_media_storage(
            {
                "DJANGO_S3_BUCKET": "medien",
                "DJANGO_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
                "DJANGO_S3_REGION": "eu-central-1",
                "DJANGO_S3_ACCESS_KEY_ID": "",
            },
            settings.MEDIA_CACHE_CONTROL,
        )

        self.assertEqual(storage["BACKEND"], "images.storage.MediaStorage")
        options = storage["OPTIONS"]
        self.assertEqual(options["bucket_name"], "medien")
        self.assertEqual(options["endpoint_url"], "http://127.0.0.1:9000")
        self.assertEqual(options["region_name"], "eu-central-1")
        # Empty keys leave boto3 to find its own.
        self.assertNotIn("access_key", options)
        self.assertIs(options["file_overwrite"], False)
        self.assertIs(options["querystring_auth"], False)
        self.assertEqual(
            options["object_parameters"],
            {"CacheControl": "public, max-age=31536000, immutable"},
        )


class LocalHttpTests(TestCase):
    def test_local_development_stays_on_plain_http(self):
        response = self.client.get(reverse("articles:front_page"))

        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Strict-Transport-Security", response)
        self.assertIs(settings.SESSION_COOKIE_SECURE, False)
