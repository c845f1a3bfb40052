"""The article page as a reader's browser shows it (Debian's chromium)."""

from urllib.parse import urlsplit

from tests.browser.base import BrowserTestCase
from tests.factories import (
    image_file,
    make_article,
    make_author,
    make_creative,
    make_section,
    make_slot,
    make_topic_box,
)


class ArticlePageInBrowserTests(BrowserTestCase):
    def setUp(self):
        news = make_section(name="News", slug="news")
        politik = make_section(name="Politik", slug="politik", parent=news)
        self.article = make_article(
            section=politik,
            kicker="Nach Jahren der Funkstille",
            headline="Nachbarländer vereinbaren neue Gespräche",
            lead="Beide Regierungen wollen sich künftig jedes Quartal treffen.",
            body=(
                "<p>Erster Absatz.</p><h2>Die Vorgeschichte</h2><p>Zweiter Absatz.</p>"
                "<p>Dritter Absatz.</p><h2>Wie es weitergeht</h2><p>Vierter Absatz.</p>"
            ),
            image=image_file(size=(1600, 900)),
            image_alt="Verhandlungstisch mit zwei Fahnen",
            image_caption="Der Verhandlungssaal am Morgen.",
            image_credit="Newsroom/Lea Brandt",
            tags=["Südkorea", "Diplomatie"],
            authors=[make_author(name="Mira Özdemir")],
        )
        target = make_article(
            section=politik, headline="Der lange Streit um die Entschädigung"
        )
        make_topic_box(self.article, target, after_paragraph=2)
        make_article(headline="Was Diplomaten jetzt erwarten", tags=["Südkorea"])
        for key, width, height in [
            ("header", 728, 90),
            ("article-end-1", 300, 250),
            ("article-end-2", 300, 250),
        ]:
            make_creative(
                slot=make_slot(key=key, width=width, height=height),
                image=image_file("motiv.png", size=(width, height), fmt="PNG"),
            )

    def test_parts_appear_top_to_bottom_in_the_reference_order(self):
        page = self.open(
            self.article.get_absolute_url(), viewport={"width": 1280, "height": 900}
        )
        parts = [
            ("header ad", '[data-ad-slot="header"]'),
            ("breadcrumbs", "nav.breadcrumbs"),
            ("kicker", ".article__header .kicker"),
            ("headline", "h1"),
            ("byline", ".byline"),
            ("lead", ".article__lead"),
            ("lead image", ".article__image img"),
            ("credit", ".article__credit"),
            ("first subheading", ".article__body h2 >> nth=0"),
            ("topic box", ".topic-box"),
            ("second subheading", ".article__body h2 >> nth=1"),
            ("tags", "ul.tags"),
            ("first end ad", '[data-ad-slot="article-end-1"]'),
            ("second end ad", '[data-ad-slot="article-end-2"]'),
            ("related block", "section.related"),
        ]

        tops = []
        for name, selector in parts:
            locator = page.locator(selector)
            locator.scroll_into_view_if_needed()
            self.assertTrue(locator.is_visible(), f"{name} is not visible")
            box = locator.bounding_box()
            tops.append((box["y"] + page.evaluate("window.scrollY"), name))

        self.assertEqual(
            [name for _, name in sorted(tops)], [name for name, _ in parts]
        )

    def test_visible_texts_read_as_a_german_article_page(self):
        page = self.open(self.article.get_absolute_url())

        self.assertEqual(page.locator("h1").inner_text(), self.article.headline)
        self.assertEqual(
            page.locator("nav.breadcrumbs").inner_text().split("\n"),
            ["Startseite", "News", "Politik", self.article.headline],
        )
        self.assertIn(
            "Foto: Newsroom/Lea Brandt", page.locator("figcaption").inner_text()
        )
        self.assertIn(
            "Mehr zum Thema: Der lange Streit um die Entschädigung",
            page.locator(".topic-box").inner_text().replace("\n", " "),
        )
        self.assertEqual(
            page.locator(".ad-slot__label").all_inner_texts(), ["ANZEIGE"] * 3
        )
        self.assertEqual(page.evaluate("document.documentElement.lang"), "de")

    def test_page_loads_nothing_from_other_hosts(self):
        self.open(self.article.get_absolute_url())

        self.assertEqual(self.requested_hosts, {urlsplit(self.live_server_url).netloc})

    def test_phone_layout_keeps_the_text_readable(self):
        page = self.open(
            self.article.get_absolute_url(), viewport={"width": 375, "height": 740}
        )

        font_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.article__body p')).fontSize)"
        )
        page_width = page.evaluate("document.documentElement.scrollWidth")

        self.assertGreaterEqual(font_size, 18)
        self.assertLessEqual(page_width, 375)
