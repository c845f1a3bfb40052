"""An ad manager books a campaign; readers see it and are counted honestly."""

import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ads.models import AdEvent, CountReason, EventCount
from tests.browser.base import BrowserTestCase, wait_for
from tests.factories import make_advertiser, make_article, make_section, make_slot

# Playwright's headless chromium calls itself HeadlessChrome, which the bot
# list rightly filters; a reader's browser does not.
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)
TARGET = "https://werbung.example/oekostrom"
LONG_BODY = "".join(
    f"<p>Absatz {n} mit so viel Text, dass die Seite lang genug zum Scrollen wird, "
    "und noch ein wenig mehr davon.</p>"
    for n in range(1, 15)
)


def counted(event):
    return (
        EventCount.objects.filter(event=event, reason=CountReason.COUNTED).aggregate(
            total=Sum("count")
        )["total"]
        or 0
    )


class AdCampaignInBrowserTests(BrowserTestCase):
    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)
        news = make_section(name="News", slug="news")
        politik = make_section(name="Politik", slug="politik", parent=news)
        wirtschaft = make_section(name="Wirtschaft", slug="wirtschaft", parent=news)
        self.politik_article = make_article(
            section=politik, headline="Landtag berät den Haushalt", body=LONG_BODY
        )
        self.wirtschaft_article = make_article(
            section=wirtschaft, headline="Mittelstand investiert wieder", body=LONG_BODY
        )
        make_slot(key="header", width=728, height=90, is_below_fold=False)
        make_slot(key="article-end-1", name="Nach dem Artikel")
        make_advertiser(name="Stadtwerke Auenbrück")
        manager = get_user_model().objects.create_user(
            "anzeigen", password="Werbung-2026!", is_staff=True
        )
        manager.groups.add(Group.objects.get(name="Anzeigenverwaltung"))
        folder = Path(tempfile.mkdtemp(prefix="newsroom-motiv-"))
        self.image = folder / "rectangle.png"
        Image.new("RGB", (600, 500), (20, 96, 70)).save(self.image)

    def book_campaign(self, page):
        page.goto(f"{self.live_server_url}{reverse('admin:ads_campaign_add')}")
        page.fill("#id_name", "Ökostrom für Auenbrück")
        self.choose_autocomplete(page, "#id_advertiser", "Stadtwerke")
        page.select_option("#id_status", "active")
        now = timezone.localtime()
        page.fill("#id_starts_at_0", (now - timedelta(days=1)).strftime("%d.%m.%Y"))
        page.fill("#id_starts_at_1", "00:00:00")
        page.fill("#id_ends_at_0", (now + timedelta(days=30)).strftime("%d.%m.%Y"))
        page.fill("#id_ends_at_1", "00:00:00")
        self.choose_autocomplete(page, "#id_sections", "Politik")
        page.click("#creatives-group .add-row a")
        page.fill("#id_creatives-0-name", "Rectangle")
        page.check("#id_creatives-0-slots label:has-text('Nach dem Artikel') input")
        page.set_input_files("#id_creatives-0-image", str(self.image))
        page.fill("#id_creatives-0-alt_text", "Sonne und Wind vom Stadtrand")
        page.fill("#id_creatives-0-target_url", TARGET)
        page.click("input[name=_save]")
        self.assertIn(
            "erfolgreich hinzugefügt", page.locator(".messagelist").inner_text()
        )

    def test_a_booked_campaign_is_shown_counted_and_reported(self):
        admin_page = self.log_in("anzeigen", "Werbung-2026!")
        self.book_campaign(admin_page)

        page = self.new_page(
            user_agent=READER_AGENT, viewport={"width": 1280, "height": 800}
        )
        reader = page.context
        # The test machine has no network: the target host cannot answer, but
        # the browser's request for it shows where the click led.
        landings = []
        reader.on(
            "request",
            lambda request: (
                request.url == TARGET
                and landings.append(urlsplit(request.redirected_from.url).path)
            ),
        )
        hosts = set()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        page.goto(f"{self.live_server_url}{self.politik_article.get_absolute_url()}")
        ad = page.locator('[data-ad-slot="article-end-1"]')

        # Shown in Politik, labelled by the slot, and counted as served.
        self.assertEqual(ad.locator(".ad-slot__label").inner_text(), "ANZEIGE")
        self.assertTrue(ad.locator('img[alt="Sonne und Wind vom Stadtrand"]').count())
        self.assertTrue(wait_for(lambda: counted(AdEvent.SERVED) == 1))

        # Below the fold it is not viewable; in view for a second it is, once.
        page.wait_for_timeout(1500)
        self.assertEqual(counted(AdEvent.VIEWABLE), 0)
        ad.scroll_into_view_if_needed()
        self.assertTrue(wait_for(lambda: counted(AdEvent.VIEWABLE) == 1))
        page.evaluate("window.scrollTo(0, 0)")
        ad.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        self.assertEqual(counted(AdEvent.VIEWABLE), 1)

        # A click lands on the target and counts once, however often.
        click_path = urlsplit(ad.locator("a").get_attribute("href")).path
        for _ in range(2):
            with reader.expect_page() as opened:
                ad.locator("a").click()
            opened.value.wait_for_load_state()
            opened.value.close()
        self.assertEqual(landings, [click_path, click_path])
        self.assertEqual(counted(AdEvent.CLICK), 1)

        # No cookie, no device storage, no other host.
        self.assertEqual(reader.cookies(), [])
        self.assertEqual(page.evaluate("document.cookie"), "")
        self.assertEqual(page.evaluate("window.localStorage.length"), 0)
        self.assertEqual(hosts, {urlsplit(self.live_server_url).netloc})

        # Wirtschaft is not targeted: no ad there, and no blank hole.
        page.goto(f"{self.live_server_url}{self.wirtschaft_article.get_absolute_url()}")
        self.assertEqual(page.locator("[data-ad-slot]").count(), 0)
        self.assertEqual(page.locator("text=Anzeige").count(), 0)

        # The report shows what was counted.
        admin_page.goto(f"{self.live_server_url}{reverse('admin:ads_campaign_report')}")
        total = admin_page.locator("#report-total").inner_text().split("\t")
        self.assertEqual(
            [cell.strip() for cell in total],
            ["Summe", "1", "1", "100,0 %", "1", "100,0 %", "0 / 0 / 0 / 0 / 0 / 1 / 0"],
        )
        self.assertIn(
            "Ökostrom für Auenbrück", admin_page.locator("#report-rows").inner_text()
        )
