"""Finding the next article in a reader's browser: search, related, views."""

from readership.models import DailyArticleViews
from tests.browser.test_article_page import BrowserTestCase
from tests.factories import make_article, make_section

READER_BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


class DiscoveryInBrowserTests(BrowserTestCase):
    def setUp(self):
        news = make_section(name="News", slug="news")
        politik = make_section(name="Politik", slug="politik", parent=news)
        wissen = make_section(name="Wissen", slug="wissen")
        self.first = make_article(
            section=politik,
            kicker="Unwetter",
            headline="Erdrutsch verschüttet die Landstraße bei Talbrunn",
            lead="Nach tagelangem Regen ist am Kesselberg ein Hang abgerutscht.",
            body="<p>Geröll und Schlamm blockieren die Straße nach Talbrunn.</p>",
            tags=["Talbrunn", "Unwetter"],
        )
        self.follow_up = make_article(
            section=politik,
            kicker="Nach dem Erdrutsch",
            headline="Geologen sichern den Hang am Kesselberg",
            lead="Die Straße nach Talbrunn bleibt gesperrt, bis der Hang gesichert ist.",
            body="<p>Am Kesselberg bohren Geologen Anker in den Fels.</p>",
            tags=["Talbrunn"],
        )
        for headline, lead in [
            (
                "Orgel in der Stadtkirche erklingt wieder",
                "Die Restaurierung ist fertig.",
            ),
            (
                "Imker ernten weniger Honig",
                "Der kalte Frühling setzte den Bienen zu.",
            ),
            ("Sternwarte öffnet für Nachtschwärmer", "Führungen bis Mitternacht."),
        ]:
            make_article(section=wissen, headline=headline, lead=lead)

    def test_search_then_follow_a_result_then_a_recommendation(self):
        page = self.open("/", viewport={"width": 1280, "height": 900})

        page.fill("#site-search-q", "Talbrunn")
        page.press("#site-search-q", "Enter")
        page.wait_for_load_state()

        self.assertIn("Talbrunn", page.title())
        results = page.locator(".search-result__headline a")
        self.assertEqual(results.count(), 2)
        self.assertEqual(
            page.locator(".search-result__snippet mark").first.inner_text(), "Talbrunn"
        )

        page.get_by_role(
            "link", name="Erdrutsch verschüttet die Landstraße bei Talbrunn"
        ).click()
        page.wait_for_load_state()
        self.assertEqual(page.locator("h1").inner_text(), self.first.headline)

        related = page.locator("section.related .card__link")
        self.assertEqual(related.count(), 4)
        first_card = related.first
        first_card.scroll_into_view_if_needed()
        self.assertIn(self.follow_up.headline, first_card.inner_text())
        first_card.click()
        page.wait_for_load_state()

        self.assertEqual(page.locator("h1").inner_text(), self.follow_up.headline)
        self.assertTrue(page.url.endswith(self.follow_up.get_absolute_url()))

    def test_a_readers_visit_is_counted_after_the_page_has_loaded(self):
        page = self.browser.new_context(user_agent=READER_BROWSER).new_page()
        self.addCleanup(page.context.close)

        with page.expect_response(
            lambda response: "/statistik/aufruf/" in response.url
        ) as counted:
            page.goto(f"{self.live_server_url}{self.first.get_absolute_url()}")

        self.assertEqual(counted.value.status, 204)
        self.assertEqual(DailyArticleViews.objects.get(article=self.first).views, 1)
        self.assertEqual(page.context.cookies(), [])

    def test_a_headless_browser_is_not_counted(self):
        page = self.open(self.first.get_absolute_url())

        page.wait_for_load_state("networkidle")

        self.assertFalse(DailyArticleViews.objects.exists())
