"""Eilmeldung and Liveticker in chromium: the desk starts and ends a banner
that reaches an already cached page; two journalists post into one ticker
while a signed-out reader sees the entries arrive without reloading."""

from live.models import Eilmeldung, Entry
from tests.browser.base import BrowserTestCase, wait_for
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    make_article,
    make_staff,
    make_ticker,
)

PASSWORD = "Pressefreiheit-2026"


class EilmeldungInBrowserTests(BrowserTestCase):
    def setUp(self):
        make_staff(DESK_EDITOR, password=PASSWORD, username="cvd")
        self.article = make_article(headline="Haushaltsdebatte im Landtag")

    def test_the_banner_reaches_a_cached_page_and_leaves_at_its_end(self):
        reader = self.open(self.article.get_absolute_url())
        reader.reload()  # now from the page cache
        self.assertEqual(reader.locator(".eilmeldung").count(), 0)

        desk = self.log_in("cvd", PASSWORD)
        desk.goto(f"{self.live_server_url}/admin/live/eilmeldung/add/")
        desk.fill("#id_text", "Regierungschef kündigt Rücktritt an")
        desk.click("input[name=_save]")
        desk.wait_for_selector(".messagelist .success")

        reader.reload()
        banner = reader.locator(".eilmeldung")
        self.assertIn("Regierungschef kündigt Rücktritt an", banner.inner_text())
        # Closed for this page only, by the static script.
        reader.click(".eilmeldung__close")
        self.assertEqual(reader.locator(".eilmeldung").count(), 0)
        reader.reload()
        self.assertEqual(reader.locator(".eilmeldung").count(), 1)

        desk.goto(f"{self.live_server_url}/admin/live/eilmeldung/")
        desk.check("input[name=_selected_action]")
        desk.select_option("select[name=action]", "end_now")
        desk.click("button[name=index]")
        desk.wait_for_selector(".messagelist .success")
        self.assertFalse(Eilmeldung.objects.running().exists())

        reader.reload()
        self.assertEqual(reader.locator(".eilmeldung").count(), 0)
        self.assertEqual(reader.context.cookies(), [])
        self.assertEqual(self.requested_hosts, {self.live_server_url.split("//")[1]})


class TickerInBrowserTests(BrowserTestCase):
    def setUp(self):
        make_staff(JOURNALIST, password=PASSWORD, username="jana")
        make_staff(JOURNALIST, password=PASSWORD, username="tom")
        self.ticker = make_ticker(make_article(headline="Wahlabend in Sachsen"))

    def post(self, page, text):
        editor = page.locator("#ticker-entry-form .ProseMirror[contenteditable=true]")
        editor.click()
        page.keyboard.type(text)
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(".messagelist .success")

    def test_two_journalists_post_while_a_reader_watches(self):
        reader = self.open(self.ticker.article.get_absolute_url())
        desk_url = (
            f"{self.live_server_url}/admin/live/ticker/{self.ticker.pk}/eintraege/"
        )
        jana = self.log_in("jana", PASSWORD)
        jana.goto(desk_url)
        tom = self.log_in("tom", PASSWORD)
        tom.goto(desk_url)

        self.post(jana, "Erste Prognose: knappes Rennen.")
        self.post(tom, "Wahlbeteiligung höher als vor fünf Jahren.")
        self.assertTrue(wait_for(lambda: Entry.objects.count() == 2))

        # The first may be announced alone if the page asked in between.
        button = reader.locator("[data-ticker-news] button", has_text="2 neue Einträge")
        button.wait_for(state="visible", timeout=10_000)
        # Nothing moved while the reader was reading.
        self.assertEqual(reader.locator("[data-ticker-stream] [data-entry]").count(), 0)
        button.click()
        entries = reader.locator("[data-ticker-stream] [data-entry]")
        self.assertEqual(entries.count(), 2)
        self.assertIn("Wahlbeteiligung", entries.nth(0).inner_text())
        self.assertIn("Erste Prognose", entries.nth(1).inner_text())
        self.assertEqual(reader.context.cookies(), [])
