"""Every page tells the browser what it may load, embed and use."""

from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.urls import reverse

from newsroom.middleware import ContentSecurityPolicyMiddleware
from tests.factories import (
    article_form_data,
    make_article,
    make_creative,
    make_editor,
    make_section,
    make_slot,
)

SAME_FOR_EVERY_PAGE = {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'"}


def policy(response):
    """The Content-Security-Policy header as {directive: set of sources}."""
    return {
        name: set(sources)
        for name, *sources in (
            part.split() for part in response["Content-Security-Policy"].split(";")
        )
    }


class ReaderPageHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(name="Politik", slug="politik")
        cls.article = make_article(section=cls.section, tags=["Haushalt"])
        make_creative(slot=make_slot(key="header", width=728, height=90))

    def reader_pages(self):
        return {
            "home": reverse("articles:front_page"),
            "article": self.article.get_absolute_url(),
            "section": self.section.get_absolute_url(),
            "tag": reverse("articles:tag_detail", kwargs={"slug": "haushalt"}),
            "search": f"{reverse('articles:search')}?q=Haushalt",
            "feed": reverse("articles:feed"),
            "not found": "/gibt-es-nicht/",
        }

    def test_every_reader_page_has_a_strict_policy_and_the_other_headers(self):
        for name, url in self.reader_pages().items():
            with self.subTest(name):
                response = self.client.get(url)

                csp = policy(response)
                self.assertEqual(csp["default-src"], {"'self'"})
                self.assertEqual(csp["script-src"], {"'self'"})
                self.assertEqual(csp["style-src"], {"'self'"})
                self.assertEqual(csp["frame-ancestors"], {"'none'"})
                self.assertEqual(csp["object-src"], {"'none'"})
                self.assertFalse(UNSAFE & set().union(*csp.values()))
                for header, value in SAME_FOR_EVERY_PAGE.items():
                    self.assertEqual(response[header], value)
                permissions = response["Permissions-Policy"]
                for feature in ("camera", "microphone", "geolocation"):
                    self.assertIn(f"{feature}=()", permissions)

    def test_a_page_from_the_cache_has_the_same_headers(self):
        url = self.article.get_absolute_url()
        first = self.client.get(url)

        second = self.client.get(url)

        self.assertEqual(second["X-Cache"], "HIT")
        for header in ("Content-Security-Policy", "Permissions-Policy"):
            self.assertEqual(second[header], first[header])
        for header, value in SAME_FOR_EVERY_PAGE.items():
            self.assertEqual(second[header], value)

    def test_reader_pages_carry_no_nonce_the_cache_could_share(self):
        response = self.client.get(self.article.get_absolute_url())

        self.assertNotIn("nonce", response["Content-Security-Policy"])
        self.assertNotContains(response, "nonce=")

    def test_the_policy_built_once_is_the_one_django_csp_builds(self):
        response = self.client.get(self.article.get_absolute_url())

        self.assertEqual(
            policy(response), policy({"Content-Security-Policy": build_policy()})
        )


class PerResponsePolicyTests(SimpleTestCase):
    def test_a_response_that_changes_its_policy_gets_its_own_header(self):
        response = HttpResponse("Bild")
        response._csp_update = {"img-src": ["https://bilder.example"]}
        request = RequestFactory().get("/")
        middleware = ContentSecurityPolicyMiddleware(lambda request: response)

        answer = middleware(request)

        self.assertIn("https://bilder.example", policy(answer)["img-src"])


class AdminHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article()

    def setUp(self):
        self.client.force_login(make_editor())

    def test_the_admin_has_its_own_policy_without_unsafe_scripts(self):
        response = self.client.get(reverse("admin:index"))

        csp = policy(response)
        self.assertEqual(csp["style-src"], {"'self'", "'unsafe-inline'"})
        self.assertEqual(csp["script-src"], {"'self'"})
        self.assertEqual(csp["frame-ancestors"], {"'none'"})
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_the_article_form_runs_its_import_map_with_a_fresh_nonce(self):
        url = reverse("admin:articles_article_change", args=[self.article.pk])

        nonces = []
        for _ in range(2):
            response = self.client.get(url)
            (nonce,) = [
                source
                for source in policy(response)["script-src"]
                if source.startswith("'nonce-")
            ]
            self.assertContains(
                response, f'<script type="importmap" nonce="{nonce[7:-1]}">'
            )
            nonces.append(nonce)

        self.assertNotEqual(nonces[0], nonces[1])
        self.assertNotIn("'unsafe-inline'", policy(response)["script-src"])

    def test_a_form_returned_with_errors_still_runs_the_editor(self):
        url = reverse("admin:articles_article_change", args=[self.article.pk])

        response = self.client.post(url, article_form_data(self.article, headline=""))

        self.assertContains(response, "errornote")
        self.assertIn("'nonce-", response["Content-Security-Policy"])
        self.assertContains(response, '<script type="importmap" nonce="')
