"""The reader's pages measured by the browser itself (Debian's chromium):
phones see the first story without scrolling, nothing is wider than the
screen, and on a desktop the trail starts where the article does."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from tests.browser.base import BrowserTestCase
from tests.factories import (
    image_file,
    make_article,
    make_author,
    make_creative,
    make_page,
    make_section,
    make_slot,
)

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1366, "height": 900}

MEASURE = """() => {
  const box = selector => {
    const element = document.querySelector(selector);
    return element && element.getBoundingClientRect();
  };
  const headline = box(".card__headline");
  return {
    header: box(".site-header").height,
    firstHeadline: headline && headline.top + window.scrollY,
    adsBeforeIt: [...document.querySelectorAll("[data-ad-slot]")].filter(
      ad => headline && ad.getBoundingClientRect().top < headline.top
    ).length,
    pageWidth: document.documentElement.scrollWidth,
  };
}"""


class ReaderLayoutTests(BrowserTestCase):
    def setUp(self):
        news = make_section(name="News", slug="news", description="Das Neueste.")
        self.ressorts = [news]
        for name, slug in [("Politik", "politik"), ("Wirtschaft", "wirtschaft")]:
            self.ressorts.append(
                make_section(
                    name=name,
                    slug=slug,
                    parent=news,
                    description=f"{name}: Entscheidungen, Debatten und ihre Folgen.",
                )
            )
        sport = make_section(name="Sport", slug="sport")
        self.ressorts.append(sport)
        author = make_author(name="Mira Özdemir", slug="mira-oezdemir")
        picture = image_file(size=(1600, 900))
        for number, section in enumerate(self.ressorts[1:] * 3):
            self.article = make_article(
                section=section,
                kicker="Nach langer Debatte",
                headline=f"Stadtrat beschließt den Haushalt für das kommende Jahr ({number})",
                lead="Mehr Geld für Schulen, weniger für Straßen.",
                body="<p>Erster Absatz.</p><h2>Zwischentitel</h2><p>Zweiter Absatz.</p>",
                image=picture,
                image_alt="Der Ratssaal",
                tags=["Haushalt"],
                authors=[author],
                published_at=timezone.now() - timedelta(minutes=5 + number * 90),
            )
        self.author = author
        make_page(title="Impressum", slug="impressum")
        for key, size, mobile in [
            ("header", (728, 90), (320, 50)),
            ("sidebar", (300, 600), (300, 250)),
            ("article-end-1", (300, 250), None),
            ("article-end-2", (300, 250), None),
        ]:
            slot = make_slot(
                key=key,
                width=size[0],
                height=size[1],
                mobile_width=mobile[0] if mobile else None,
                mobile_height=mobile[1] if mobile else None,
            )
            make_creative(
                slot=slot, image=image_file("motiv.png", size=size, fmt="PNG")
            )

    def every_page_type(self):
        return [
            "/",
            self.ressorts[1].get_absolute_url(),
            self.article.get_absolute_url(),
            reverse("articles:tag_detail", args=["haushalt"]),
            self.author.get_absolute_url(),
            reverse("articles:search") + "?q=Haushalt",
            "/info/impressum/",
        ]

    def test_on_a_phone_the_first_story_shows_without_scrolling(self):
        for url in ["/"] + [section.get_absolute_url() for section in self.ressorts]:
            with self.subTest(url=url):
                page = self.open(url, viewport=PHONE)
                measured = page.evaluate(MEASURE)

                self.assertLessEqual(measured["header"], 64)
                self.assertLess(measured["firstHeadline"], PHONE["height"])
                self.assertLessEqual(measured["adsBeforeIt"], 1)
                self.assertLessEqual(measured["pageWidth"], PHONE["width"])
        self.assertEqual(self.requested_hosts, {urlsplit(self.live_server_url).netloc})

    def test_the_newest_teaser_says_how_many_minutes_ago(self):
        page = self.open("/", viewport=PHONE)

        self.assertRegex(
            page.locator(".listing__lead time.teaser-time").inner_text(),
            r"^vor [5-7] Min\.$",
        )

    def test_a_phone_reaches_the_search_by_its_button_without_script(self):
        page = self.open("/", viewport=PHONE, java_script_enabled=False)

        page.get_by_role("link", name="Suche").click()
        page.get_by_role("searchbox", name="Suchbegriff").fill("Haushalt")
        page.get_by_role("button", name="Suchen").click()

        self.assertIn(
            "Haushalt", page.locator(".search-result__headline").first.inner_text()
        )

    def test_nothing_is_wider_than_a_small_phone(self):
        for url in self.every_page_type():
            with self.subTest(url=url):
                page = self.open(url, viewport=SMALL_PHONE)

                self.assertLessEqual(
                    page.evaluate("document.documentElement.scrollWidth"),
                    SMALL_PHONE["width"],
                )

    def test_on_a_desktop_the_trail_starts_where_the_article_does(self):
        page = self.open(self.article.get_absolute_url(), viewport=DESKTOP)

        trail = page.locator("nav.breadcrumbs").bounding_box()
        article = page.locator("article.article").bounding_box()
        first_ad = page.locator('[data-ad-slot="article-end-1"]').bounding_box()
        second_ad = page.locator('[data-ad-slot="article-end-2"]').bounding_box()
        self.assertAlmostEqual(trail["x"], article["x"], delta=1)
        self.assertEqual(first_ad["y"], second_ad["y"], "end ads side by side")
