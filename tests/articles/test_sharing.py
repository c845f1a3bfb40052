"""What links, shares and search engines read: canonical addresses,
OpenGraph and Twitter cards, breadcrumbs, the publisher's logo, the icon."""

import json
import re
from html import unescape

from django.contrib.staticfiles import finders
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from articles.models import Tag
from articles.pagination import OLDER, encode_cursor
from tests.factories import image_file, make_article, make_author, make_section

HOST = "www.newsroom-zeitung.de"


def meta(html, attribute, name):
    return [
        unescape(value)
        for value in re.findall(
            rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html
        )
    ]


def structured_data(html, kind):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    return [data for data in map(json.loads, blocks) if data["@type"] == kind]


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class ListPageSharingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(
            name="Politik",
            slug="politik",
            parent=cls.news,
            description="Berichte aus Landtag und Bundestag.",
        )
        cls.author = make_author(name="Lea Brandt", bio="Berichtet aus dem Landtag.")
        cls.articles = [
            make_article(section=cls.politik, tags=["Brücke"], authors=[cls.author])
            for _ in range(3)
        ]
        cls.tag = Tag.objects.get(name="Brücke")

    def html(self, url, **params):
        response = self.client.get(url, params, HTTP_HOST=HOST)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def pages(self):
        """(path, title, description) of each list page."""
        return [
            (
                "/",
                "Newsroom – Nachrichten aus Deutschland und der Welt",
                "Nachrichten, Hintergründe und Analysen aus Politik, Wirtschaft, "
                "Sport, Kultur und Wissen.",
            ),
            (
                self.politik.get_absolute_url(),
                "Politik",
                "Berichte aus Landtag und Bundestag.",
            ),
            (
                self.tag.get_absolute_url(),
                "Brücke",
                "Alle Artikel zum Thema Brücke",
            ),
            (
                self.author.get_absolute_url(),
                "Lea Brandt",
                "Berichtet aus dem Landtag.",
            ),
        ]

    def test_every_list_page_names_itself_for_sharing(self):
        logo = f"http://{HOST}/static/img/newsroom-logo"
        for path, title, description in self.pages():
            with self.subTest(path=path):
                html = self.html(path, utm_source="newsletter")
                url = f"http://{HOST}{path}"

                self.assertEqual(
                    re.findall(r'<link rel="canonical" href="([^"]*)">', html), [url]
                )
                self.assertEqual(meta(html, "property", "og:url"), [url])
                self.assertEqual(meta(html, "property", "og:type"), ["website"])
                self.assertEqual(meta(html, "property", "og:title"), [title])
                self.assertEqual(
                    meta(html, "property", "og:description"), [description]
                )
                self.assertEqual(meta(html, "name", "description"), [description])
                self.assertEqual(meta(html, "name", "twitter:card"), ["summary"])
                self.assertEqual(meta(html, "name", "twitter:title"), [title])
                (image,) = meta(html, "property", "og:image")
                self.assertTrue(image.startswith(logo), image)
                self.assertEqual(meta(html, "name", "twitter:image"), [image])

    def test_an_older_page_of_a_list_is_its_own_canonical_page(self):
        cursor = encode_cursor(self.articles[1])

        html = self.html(self.politik.get_absolute_url(), **{OLDER: cursor})

        self.assertIn(
            f'<link rel="canonical" href="http://{HOST}'
            f'{self.politik.get_absolute_url()}?{OLDER}={cursor}">',
            html,
        )

    def test_ressort_breadcrumb_comes_with_its_structured_data(self):
        html = self.html(self.politik.get_absolute_url())

        (data,) = structured_data(html, "BreadcrumbList")
        self.assertEqual(
            [(item["name"], item["item"]) for item in data["itemListElement"]],
            [
                ("Startseite", f"http://{HOST}/"),
                ("News", f"http://{HOST}{self.news.get_absolute_url()}"),
                ("Politik", f"http://{HOST}{self.politik.get_absolute_url()}"),
            ],
        )
        trail = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group()
        self.assertEqual(
            re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]*)", trail),
            ["Startseite", "News", "Politik"],
        )

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_list_pages_keep_their_query_counts(self):
        # The tags read nothing: everything comes from the page's own rows.
        # Every page also reads the Eilmeldung and the footer's pages; home
        # and Ressorts ask whether a curated front stands in.
        for path, queries in (
            ("/", 7),
            (self.politik.get_absolute_url(), 8),
            (self.tag.get_absolute_url(), 5),
            (self.author.get_absolute_url(), 5),
        ):
            self.client.get(path, HTTP_HOST=HOST)  # the ads' snapshot
            with self.subTest(path=path), self.assertNumQueries(queries):
                self.client.get(path, HTTP_HOST=HOST)


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class ArticleSharingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(image=image_file(size=(1600, 900)))
        make_article(section=cls.article.section, image=image_file(size=(1600, 900)))

    def setUp(self):
        response = self.client.get(self.article.get_absolute_url(), HTTP_HOST=HOST)
        self.html = response.content.decode()

    def test_publisher_has_our_square_logo(self):
        (data,) = structured_data(self.html, "NewsArticle")
        logo = data["publisher"]["logo"]

        self.assertEqual(logo["@type"], "ImageObject")
        self.assertTrue(logo["url"].startswith(f"http://{HOST}/static/img/"))
        with Image.open(finders.find("img/newsroom-logo.png")) as image:
            self.assertEqual(image.size, (logo["width"], logo["height"]))
        self.assertGreaterEqual(logo["width"], 112)

    def test_times_are_to_the_second(self):
        times = re.findall(r'<time datetime="([^"]+)"', self.html)
        (data,) = structured_data(self.html, "NewsArticle")

        self.assertTrue(times)
        for moment in [
            *times,
            data["datePublished"],
            data["dateModified"],
            *meta(self.html, "property", "article:published_time"),
        ]:
            self.assertRegex(moment, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

    def test_the_lead_image_is_fetched_first(self):
        lead = re.search(
            r'<figure class="article__image">.*?</figure>', self.html, re.S
        )

        self.assertIn('fetchpriority="high"', lead.group())
        self.assertEqual(self.html.count('fetchpriority="high"'), 1)

    def test_related_cards_ask_for_the_width_they_take(self):
        related = re.search(r'<section class="related".*?</section>', self.html, re.S)

        self.assertIn('sizes="(min-width: 64em) 17rem, 50vw"', related.group())
        self.assertNotIn("100vw", related.group())


class IconTests(TestCase):
    def test_favicon_ico_leads_to_the_icon(self):
        response = self.client.get("/favicon.ico")

        self.assertEqual(response.status_code, 302)
        self.assertRegex(response["Location"], r"^/static/img/favicon.*\.ico$")

    def test_pages_name_their_icons(self):
        html = self.client.get(reverse("articles:front_page")).content.decode()

        for rel, name in (
            ("icon", "favicon"),
            ("icon", "newsroom-icon"),
            ("apple-touch-icon", "apple-touch-icon"),
        ):
            self.assertRegex(html, rf'<link rel="{rel}" href="/static/img/{name}[^"]*"')
        for name in ("favicon.ico", "newsroom-icon.svg", "apple-touch-icon.png"):
            self.assertTrue(finders.find(f"img/{name}"), name)
