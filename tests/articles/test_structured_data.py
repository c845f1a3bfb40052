import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape

from django.test import TestCase, override_settings

from articles.models import Article, Correction, CorrectionKind
from tests.factories import image_file, make_article, make_author, make_section

HOST = "www.newsroom-zeitung.de"


def json_ld(html):
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]


def meta(html, attribute, name):
    """Contents of the meta tags with this property or name, in order."""
    return [
        unescape(value)
        for value in re.findall(
            rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html
        )
    ]


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class ArticleStructuredDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.authors = [make_author(name="Anna Kühn"), make_author(name="Ben Ortmann")]
        cls.article = make_article(
            section=cls.politik,
            headline="Landtag beschließt den Haushalt",
            lead="Nach drei Tagen Debatte steht der Etat für 2027.",
            image=image_file(size=(1600, 900)),
            image_alt="Der Plenarsaal",
            tags=["Landtag", "Haushalt"],
            authors=cls.authors,
            published_at=datetime(2026, 11, 25, 13, 30, tzinfo=UTC),
        )
        Correction.objects.create(
            article=cls.article,
            kind=CorrectionKind.UPDATE,
            text="Abstimmungsergebnis ergänzt.",
            created_at=datetime(2026, 11, 25, 18, 0, tzinfo=UTC),
        )

    def setUp(self):
        self.response = self.client.get(
            self.article.get_absolute_url(), {"utm_source": "feed"}, HTTP_HOST=HOST
        )
        self.html = self.response.content.decode()
        self.url = f"http://{HOST}{self.article.get_absolute_url()}"

    def news_article(self):
        (data,) = [
            item for item in json_ld(self.html) if item["@type"] == "NewsArticle"
        ]
        return data

    def test_news_article_matches_the_visible_page(self):
        data = self.news_article()

        self.assertEqual(data["headline"], "Landtag beschließt den Haushalt")
        self.assertIn(
            f'<h1 class="article__headline">{data["headline"]}</h1>', self.html
        )
        self.assertEqual(data["description"], self.article.lead)
        self.assertEqual(data["mainEntityOfPage"]["@id"], self.url)
        self.assertEqual(data["datePublished"], "2026-11-25T14:30:00+01:00")
        self.assertEqual(data["dateModified"], "2026-11-25T19:00:00+01:00")
        self.assertIn('datetime="2026-11-25T14:30:00+01:00"', self.html)
        self.assertEqual(data["articleSection"], "Politik")
        self.assertEqual(sorted(data["keywords"]), ["Haushalt", "Landtag"])
        for keyword in data["keywords"]:
            self.assertIn(f">{keyword}</a>", self.html)
        self.assertEqual(data["inLanguage"], "de")
        self.assertEqual(data["publisher"]["name"], "Newsroom")

    def test_authors_are_people_with_their_pages(self):
        self.assertEqual(
            self.news_article()["author"],
            [
                {
                    "@type": "Person",
                    "name": author.name,
                    "url": f"http://{HOST}{author.get_absolute_url()}",
                }
                for author in self.authors
            ],
        )

    def test_images_are_absolute_crops_in_16_9_4_3_and_1_1(self):
        images = self.news_article()["image"]

        self.assertEqual(
            images,
            [f"http://{HOST}{url}" for url in self.article.structured_data_images()],
        )
        self.assertEqual(len(images), 3)
        for image, crop in zip(images, ("-16x9-", "-4x3-", "-1x1-"), strict=True):
            self.assertIn(crop, image)

    def test_a_later_save_without_an_update_note_changes_nothing(self):
        self.article.corrections.all().delete()
        Article.objects.filter(pk=self.article.pk).update(
            updated_at=self.article.published_at + timedelta(hours=5)
        )

        html = self.client.get(self.article.get_absolute_url()).content.decode()

        (data,) = [item for item in json_ld(html) if item["@type"] == "NewsArticle"]
        self.assertEqual(data["dateModified"], data["datePublished"])

    def test_breadcrumbs_come_as_their_own_structured_data(self):
        types = [item["@type"] for item in json_ld(self.html)]

        self.assertEqual(sorted(types), ["BreadcrumbList", "NewsArticle"])

    def test_canonical_url_drops_the_query_string(self):
        self.assertIn(f'<link rel="canonical" href="{self.url}">', self.html)

    def test_meta_description_is_the_lead(self):
        self.assertEqual(meta(self.html, "name", "description"), [self.article.lead])

    def test_search_engines_may_show_large_images(self):
        self.assertEqual(meta(self.html, "name", "robots"), ["max-image-preview:large"])

    def test_open_graph_and_twitter_cards(self):
        image = f"http://{HOST}{self.article.image_renditions[-1][0]}"

        self.assertEqual(meta(self.html, "property", "og:type"), ["article"])
        self.assertEqual(
            meta(self.html, "property", "og:title"), [self.article.headline]
        )
        self.assertEqual(meta(self.html, "property", "og:url"), [self.url])
        self.assertEqual(
            meta(self.html, "property", "og:description"), [self.article.lead]
        )
        self.assertEqual(meta(self.html, "property", "og:image"), [image])
        self.assertEqual(meta(self.html, "property", "og:image:width"), ["1200"])
        self.assertEqual(meta(self.html, "property", "og:image:height"), ["675"])
        self.assertEqual(meta(self.html, "property", "og:locale"), ["de_DE"])
        self.assertEqual(
            sorted(meta(self.html, "property", "article:tag")), ["Haushalt", "Landtag"]
        )
        self.assertEqual(
            meta(self.html, "name", "twitter:card"), ["summary_large_image"]
        )
        self.assertEqual(meta(self.html, "name", "twitter:image"), [image])

    def test_script_endings_in_texts_are_inert(self):
        article = make_article(
            headline="Warum </script><script>alert(1)</script> nichts tut",
            lead="Ein <!-- Kommentar --> und ein & im Vorspann.",
            tags=["</script>"],
        )

        html = self.client.get(article.get_absolute_url()).content.decode()

        self.assertNotIn("<script>alert(1)", html)
        (data,) = [item for item in json_ld(html) if item["@type"] == "NewsArticle"]
        self.assertEqual(data["headline"], article.headline)
        self.assertEqual(data["keywords"], ["</script>"])
