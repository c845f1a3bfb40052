"""The article page as readers get it: every part in reading order, a fixed
number of queries, and its addresses, old ones redirected, unknown ones not
found in German."""

import json
import re
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Correction, CorrectionKind
from tests.factories import (
    image_file,
    make_article,
    make_author,
    make_creative,
    make_section,
    make_slot,
    make_topic_box,
)

BODY = (
    "<p>Erster Absatz mit „Zitat“ und 10\N{NO-BREAK SPACE}Uhr.</p>"
    "<h2>Erste Zwischenüberschrift</h2>"
    "<p>Zweiter Absatz.</p>"
    "<p>Dritter Absatz.</p>"
    "<h2>Zweite Zwischenüberschrift</h2>"
    "<p>Vierter Absatz.</p>"
)


def positions(html, *needles):
    """Where each needle first appears in the page's body, in the order given."""
    body = html[html.index("<body") :]
    return [body.index(needle) for needle in needles]


class ArticlePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.anna = make_author(name="Anna Kühn")
        cls.ben = make_author(name="Ben Ortmann")
        cls.article = make_article(
            section=cls.politik,
            kicker="Zusammenarbeit nach Jahren der Kälte",
            headline="Zwei Nachbarn wollen ihre Beziehungen verbessern",
            lead="Die Regierungen vereinbaren regelmäßige Gespräche.",
            body=BODY,
            image=image_file(size=(1600, 900)),
            image_alt="Zwei Flaggen vor einem Regierungsgebäude",
            image_caption="Das Treffen fand im Gästehaus statt.",
            image_credit="Newsroom/Jana Vogt",
            published_at=datetime(2021, 11, 25, 13, 30, tzinfo=UTC),
            tags=["Südkorea", "Außenpolitik"],
            authors=[cls.anna, cls.ben],
        )
        cls.box_target = make_article(
            section=cls.politik, headline="Streit um Entschädigungen geht weiter"
        )
        make_topic_box(cls.article, cls.box_target, after_paragraph=2)
        # Written long ago and not touched since.
        type(cls.article).objects.filter(pk=cls.article.pk).update(
            updated_at=cls.article.published_at
        )
        cls.related = make_article(
            kicker="Hintergrund",
            headline="Was die Gespräche bringen",
            tags=["Südkorea"],
        )
        for key, size in [
            ("header", (728, 90)),
            ("article-end-1", (300, 250)),
            ("article-end-2", (300, 250)),
        ]:
            make_creative(
                slot=make_slot(key=key, width=size[0], height=size[1]),
                alt_text=f"Motiv {key}",
            )

    def setUp(self):
        self.response = self.client.get(self.article.get_absolute_url())
        self.html = self.response.content.decode()

    def test_shows_every_part_of_the_article_in_reading_order(self):
        needles = (
            'data-ad-slot="header"',
            'class="breadcrumbs"',
            "Zusammenarbeit nach Jahren der Kälte",
            "<h1",
            "Anna Kühn",
            "25. November 2021, 14:30 Uhr",
            "Die Regierungen vereinbaren",
            'srcset="',
            "Foto: Newsroom/Jana Vogt",
            "Erste Zwischenüberschrift",
            "Zweiter Absatz.",
            "Mehr zum Thema:",
            "Dritter Absatz.",
            "Zweite Zwischenüberschrift",
            'href="/thema/suedkorea/"',
            'data-ad-slot="article-end-1"',
            'data-ad-slot="article-end-2"',
            "Das könnte Sie auch interessieren",
            "Was die Gespräche bringen",
        )
        order = positions(self.html, *needles)

        self.assertEqual(order, sorted(order), dict(zip(order, needles, strict=True)))

    def test_breadcrumbs_link_every_crumb_but_the_headline(self):
        trail = re.search(r'<nav class="breadcrumbs".*?</nav>', self.html, re.S).group()

        self.assertIn(f'href="{reverse("articles:front_page")}"', trail)
        self.assertIn(f'href="{self.news.get_absolute_url()}"', trail)
        self.assertIn(f'href="{self.politik.get_absolute_url()}"', trail)
        self.assertIn(f'<li aria-current="page">{self.article.headline}</li>', trail)

    def test_breadcrumb_structured_data_matches_the_trail(self):
        (data,) = [
            data
            for data in map(
                json.loads,
                re.findall(
                    r'<script type="application/ld\+json">(.*?)</script>',
                    self.html,
                    re.S,
                ),
            )
            if data["@type"] == "BreadcrumbList"
        ]
        trail = re.search(r'<nav class="breadcrumbs".*?</nav>', self.html, re.S).group()

        names = [item["name"] for item in data["itemListElement"]]
        self.assertEqual(
            names, ["Startseite", "News", "Politik", self.article.headline]
        )
        self.assertEqual(re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]*)", trail), names)
        self.assertEqual(
            data["itemListElement"][2]["item"], "http://testserver/news/politik/"
        )

    def test_headline_is_the_only_h1_and_kicker_is_outside_it(self):
        self.assertEqual(self.html.count("<h1"), 1)
        self.assertIn(
            f'<h1 class="article__headline">{self.article.headline}</h1>', self.html
        )

    def test_authors_link_to_their_pages(self):
        self.assertContains(
            self.response, f'href="{self.anna.get_absolute_url()}">Anna Kühn</a>'
        )
        self.assertContains(
            self.response, f'href="{self.ben.get_absolute_url()}">Ben Ortmann</a>'
        )

    def test_typographic_quotes_and_non_breaking_spaces_reach_the_reader(self):
        self.assertContains(self.response, "„Zitat“ und 10\N{NO-BREAK SPACE}Uhr")

    def test_topic_box_links_to_the_current_address_of_its_target(self):
        self.box_target.slug = "neue-adresse"
        self.box_target.save()

        response = self.client.get(self.article.get_absolute_url())

        self.assertContains(
            response,
            f'<a href="{self.box_target.get_absolute_url()}">{self.box_target.headline}</a>',
        )

    def test_lead_image_offers_renditions_with_its_size(self):
        self.assertContains(self.response, 'width="1600" height="900"')
        self.assertRegex(self.html, r'srcset="[^"]+480w, [^"]+800w, [^"]+1200w"')
        self.assertContains(
            self.response, 'alt="Zwei Flaggen vor einem Regierungsgebäude"'
        )

    def test_every_ad_is_labelled(self):
        self.assertEqual(self.html.count('<p class="ad-slot__label">Anzeige</p>'), 3)

    def test_related_block_never_shows_the_article_itself(self):
        related = self.html[self.html.index("Das könnte Sie auch interessieren") :]

        self.assertNotIn(self.article.get_absolute_url(), related)

    def test_a_later_save_alone_does_not_claim_an_update(self):
        type(self.article).objects.filter(pk=self.article.pk).update(
            updated_at=self.article.published_at + timedelta(hours=3)
        )

        response = self.client.get(self.article.get_absolute_url())

        self.assertNotContains(response, "Aktualisiert")

    def test_an_update_note_shows_its_time_and_text(self):
        Correction.objects.create(
            article=self.article,
            kind=CorrectionKind.UPDATE,
            text="Reaktion der Opposition ergänzt.",
            created_at=self.article.published_at + timedelta(hours=3),
        )

        response = self.client.get(self.article.get_absolute_url())

        self.assertContains(response, "Aktualisiert")
        self.assertContains(response, "25. November 2021, 17:30 Uhr", count=2)
        self.assertContains(response, "Reaktion der Opposition ergänzt.")


class ArticlePageQueryCountTests(TestCase):
    def count_queries(self, url):
        # Once before counting, so that caches filled on first use (the
        # running ad campaigns) are warm, as they are for almost every reader.
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def build(self, tags, authors, boxes):
        with self.captureOnCommitCallbacks(execute=True):
            article = make_article(
                tags=[f"Thema {n}" for n in range(tags)],
                authors=[make_author() for _ in range(authors)],
                body="".join(f"<p>Absatz {n}</p>" for n in range(6)),
            )
            for n in range(boxes):
                make_topic_box(
                    article, make_article(tags=["Thema 0"]), after_paragraph=n + 1
                )
            for word in ["Hafen", "Schleuse", "Kanal", "Werft"]:
                make_article(
                    headline=f"Neues vom {word}",
                    lead=f"Der {word} bekommt Besuch.",
                    body=f"<p>Am {word} ist viel los.</p>",
                    tags=["Thema 0"],
                )
        return article.get_absolute_url()

    def test_query_count_does_not_grow_with_tags_authors_or_boxes(self):
        small = self.count_queries(self.build(tags=1, authors=1, boxes=0))
        large = self.count_queries(self.build(tags=20, authors=5, boxes=5))

        self.assertEqual(small, large)
        self.assertLessEqual(large, 11)


class NotFoundAndRedirectTests(TestCase):
    def test_unknown_paths_get_the_german_not_found_page(self):
        for path in [
            "/gibt-es-nicht/",
            "/news/gibt/es/nicht/",
            "/thema/unbekannt/",
            "/autor/niemand/",
        ]:
            with self.subTest(path=path):
                response = self.client.get(path)

                self.assertContains(
                    response, "Diese Seite gibt es nicht", status_code=404
                )

    def test_old_article_address_redirects_permanently(self):
        article = make_article(headline="Erste Fassung")
        old_url = article.get_absolute_url()
        article.slug = "zweite-fassung"
        article.save()

        response = self.client.get(old_url, {"utm_source": "feed"})

        self.assertRedirects(
            response,
            f"{article.get_absolute_url()}?utm_source=feed",
            status_code=301,
            fetch_redirect_response=False,
        )

    def test_article_moved_to_another_section_redirects(self):
        article = make_article(headline="Umzug")
        old_url = article.get_absolute_url()
        article.section = make_section(slug="neu")
        article.save()

        response = self.client.get(old_url)

        self.assertRedirects(response, article.get_absolute_url(), status_code=301)

    def test_a_renamed_section_and_the_sections_below_it_redirect(self):
        wirtschaft = make_section(name="Wirtschaft", slug="wirtschaft")
        boerse = make_section(name="Börse", slug="boerse", parent=wirtschaft)
        old_urls = [wirtschaft.get_absolute_url(), boerse.get_absolute_url()]

        wirtschaft.slug = "geld"
        wirtschaft.save()
        boerse.refresh_from_db()

        for old_url, section in zip(old_urls, [wirtschaft, boerse], strict=True):
            with self.subTest(old_url=old_url):
                self.assertRedirects(
                    self.client.get(old_url),
                    section.get_absolute_url(),
                    status_code=301,
                    fetch_redirect_response=False,
                )
        self.assertEqual(boerse.get_absolute_url(), "/geld/boerse/")

    def test_a_new_section_at_an_old_address_wins_over_the_redirect(self):
        kultur = make_section(name="Kultur", slug="kultur")
        kultur.slug = "feuilleton"
        kultur.save()

        make_section(name="Kultur neu", slug="kultur")

        self.assertEqual(self.client.get("/kultur/").status_code, 200)

    def test_old_address_of_an_unpublished_article_is_not_found(self):
        article = make_article(headline="Zurückgezogen")
        old_url = article.get_absolute_url()
        article.slug = "anders"
        article.status = "draft"
        article.save()

        self.assertEqual(self.client.get(old_url).status_code, 404)
