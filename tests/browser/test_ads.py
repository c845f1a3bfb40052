"""An ad manager books a campaign; readers see it and are counted honestly."""

import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ads.models import AdEvent, CountReason, EventCount
from tests.browser.test_article_page import BrowserTestCase
from tests.factories import make_advertiser, make_article, make_section, make_slot

# Playwright's headless chromium calls itself HeadlessChrome, which the bot
# list rightly filters; a reader's browser does not.
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)
TARGET = "https://werbung.example/oekostrom"
AD_MODELS = ["adslot", "advertiser", "campaign", "creative"]
LONG_BODY = "".join(
    f"<p>Absatz {n} mit so viel Text, dass die Seite lang genug zum Scrollen wird, "
    "und noch ein wenig mehr davon.</p>"
    for n in range(1, 15)
)


def ad_managers():
    """The role as the ads migration creates it.

    Transactional tests before this one flush the database, and with it the
    group; tests/ads/test_admin.py checks the migration's own version.
    """
    group, _ = Group.objects.get_or_create(name="Anzeigenverwaltung")
    group.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label="ads", content_type__model__in=AD_MODELS)
            | Q(
                content_type__app_label="articles",
                codename__in=["view_section", "view_tag", "view_article"],
            )
        )
    )
    return group


def counted(event):
    return (
        EventCount.objects.filter(event=event, reason=CountReason.COUNTED).aggregate(
            total=Sum("count")
        )["total"]
        or 0
    )


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


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
        manager.groups.add(ad_managers())
        folder = Path(tempfile.mkdtemp(prefix="newsroom-motiv-"))
        self.image = folder / "rectangle.png"
        Image.new("RGB", (600, 500), (20, 96, 70)).save(self.image)

    def new_page(self, **options):
        context = self.browser.new_context(**options)
        self.addCleanup(context.close)
        return context, context.new_page()

    def log_in_as_ad_manager(self):
        context, page = self.new_page()
        page.goto(f"{self.live_server_url}{reverse('admin:login')}")
        page.fill("#id_username", "anzeigen")
        page.fill("#id_password", "Werbung-2026!")
        page.click("input[type=submit]")
        return page

    def pick(self, page, field, term):
        """Choose `term` in one of the admin's autocomplete fields."""
        page.click(f".field-{field} .select2-selection")
        page.fill(".select2-container--open .select2-search__field", term)
        page.click(f".select2-results__option:has-text('{term}')")

    def book_campaign(self, page):
        page.goto(f"{self.live_server_url}{reverse('admin:ads_campaign_add')}")
        page.fill("#id_name", "Ökostrom für Auenbrück")
        self.pick(page, "advertiser", "Stadtwerke")
        page.select_option("#id_status", "active")
        now = timezone.localtime()
        page.fill("#id_starts_at_0", (now - timedelta(days=1)).strftime("%d.%m.%Y"))
        page.fill("#id_starts_at_1", "00:00:00")
        page.fill("#id_ends_at_0", (now + timedelta(days=30)).strftime("%d.%m.%Y"))
        page.fill("#id_ends_at_1", "00:00:00")
        self.pick(page, "sections", "Politik")
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
        admin_page = self.log_in_as_ad_manager()
        self.book_campaign(admin_page)

        reader, page = self.new_page(
            user_agent=READER_AGENT, viewport={"width": 1280, "height": 800}
        )
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
