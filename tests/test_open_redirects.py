"""No address on the site sends a reader on to a place an attacker chose.

Every redirect the project answers with, and where its target comes from:
the ad click (the creative's stored https address), the admin's login and
logout (`next`, checked by Django, else the admin's start page), pages that
need a login (to the admin login, `next` = the page itself), an article's
old address (its current one), the admin's "view on site" (the object's own
page) and CommonMiddleware's added slash (the same path).
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ads.counting import issue_token
from articles.models import Article, ArticleRedirect
from tests.ads.test_views import BROWSER
from tests.factories import make_article, make_creative, make_section, make_slot

HOSTILE_TARGETS = [
    "https://boese.example/",
    "//boese.example/",
    "///boese.example/",
    "/\\boese.example/",
    "\\\\boese.example",
    "https:boese.example",
    " //boese.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]
HOSTILE_PATHS = [
    "//boese.example",
    "//boese.example/",
    "///boese.example",
    "/\\boese.example",
    "/%5Cboese.example",
    "/%2F%2Fboese.example",
    "//boese",
]
PASSWORD = "Pressefreiheit-2026"


class StaysOnSiteMixin:
    def assertStaysOnSite(self, response):
        """Not a redirect, or one to a path of this site."""
        if not 300 <= response.status_code < 400:
            return
        location = response["Location"]
        self.assertTrue(location.startswith("/"), location)
        self.assertFalse(location.startswith(("//", "/\\")), location)
        self.assertTrue(
            url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}),
            location,
        )


class AdminLoginRedirectTests(StaysOnSiteMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_user(
            "cvd", password=PASSWORD, is_staff=True, is_superuser=True
        )

    def log_in(self, target):
        url = f"{reverse('admin:login')}?next={target}"
        return self.client.post(
            url, {"username": "cvd", "password": PASSWORD, "next": target}
        )

    def test_login_never_follows_next_to_another_site(self):
        for target in HOSTILE_TARGETS:
            with self.subTest(target):
                response = self.log_in(target)

                self.assertRedirects(
                    response, reverse("admin:index"), fetch_redirect_response=False
                )
                self.client.logout()

    def test_login_follows_next_within_the_site(self):
        target = reverse("admin:articles_article_changelist")

        response = self.log_in(target)

        self.assertRedirects(response, target, fetch_redirect_response=False)

    def test_logout_never_follows_next_to_another_site(self):
        for target in HOSTILE_TARGETS:
            with self.subTest(target):
                self.client.force_login(self.user)

                response = self.client.post(
                    f"{reverse('admin:logout')}?next={target}", {"next": target}
                )

                self.assertStaysOnSite(response)


class PageRedirectTests(StaysOnSiteMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(name="Politik", slug="politik")
        cls.article = make_article(section=cls.section, slug="neu")
        ArticleRedirect.objects.create(old_path="/politik/alt/", article=cls.article)

    def test_hostile_paths_never_redirect_to_another_site(self):
        for path in HOSTILE_PATHS:
            with self.subTest(path):
                self.assertStaysOnSite(self.client.get(path))

    def test_reader_pages_ignore_redirect_parameters(self):
        pages = [
            reverse("articles:front_page"),
            self.article.get_absolute_url(),
            self.section.get_absolute_url(),
            reverse("articles:search"),
            reverse("readership:statistics"),
        ]
        for url in pages:
            for target in HOSTILE_TARGETS:
                with self.subTest(url=url, target=target):
                    response = self.client.get(
                        url, {"next": target, "url": target, "q": target}
                    )

                    self.assertEqual(response.status_code, 200)

    def test_an_old_address_leads_to_the_articles_current_one_only(self):
        response = self.client.get("/politik/alt/", {"next": "//boese.example/"})

        self.assertEqual(response.status_code, 301)
        self.assertTrue(
            response["Location"].startswith(self.article.get_absolute_url())
        )

    def test_login_protected_pages_send_to_the_admin_login_on_this_site(self):
        for url in [
            reverse("readership:staff_statistics"),
            reverse("articles:article_preview", args=[self.article.pk]),
        ]:
            with self.subTest(url):
                response = self.client.get(url, {"next": "//boese.example/"})

                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("admin:login")))
                self.assertStaysOnSite(response)

    def test_view_on_site_in_the_admin_goes_to_the_objects_own_page(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("chefin", password=PASSWORD)
        )
        content_type = ContentType.objects.get_for_model(Article)

        response = self.client.get(
            reverse("admin:view_on_site", args=[content_type.pk, self.article.pk]),
            {"next": "//boese.example/"},
        )

        self.assertRedirects(
            response,
            f"http://testserver{self.article.get_absolute_url()}",
            fetch_redirect_response=False,
        )


class AdClickRedirectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.slot = make_slot(key="header")
        cls.creative = make_creative(
            slot=cls.slot, target_url="https://werbung.example/angebot"
        )

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def test_a_click_goes_only_to_the_stored_address(self):
        for target in HOSTILE_TARGETS:
            with self.subTest(target):
                token = issue_token(self.creative.pk, self.slot.pk)

                response = self.client.get(
                    reverse("ads:click", kwargs={"token": token}),
                    {"next": target, "url": target, "target": target},
                    HTTP_USER_AGENT=BROWSER,
                )

                self.assertEqual(
                    response["Location"], "https://werbung.example/angebot"
                )

    def test_a_creative_cannot_store_anything_but_an_https_address(self):
        for target in [*HOSTILE_TARGETS[1:], "http://werbung.example/"]:
            with self.subTest(target):
                self.creative.target_url = target

                with self.assertRaises(ValidationError) as refused:
                    self.creative.full_clean()

                self.assertIn("target_url", refused.exception.message_dict)
