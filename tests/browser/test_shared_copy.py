"""Two readers get the very same copy of a page from our nginx: both count."""

import urllib.request

from django.core.cache import cache

from ads.models import AdEvent
from pagecache.finishers import SHARED_COPY_HEADER
from readership.models import DailyArticleViews
from tests.browser.base import BrowserTestCase, wait_for
from tests.browser.test_ads import LONG_BODY, READER_AGENT, counted
from tests.browser.test_content_security_policy import COLLECT_VIOLATIONS
from tests.factories import (
    image_file,
    make_article,
    make_creative,
    make_native_slot,
    make_section,
    make_slot,
)


def views():
    return sum(DailyArticleViews.objects.values_list("views", flat=True))


class SharedCopyInBrowserTests(BrowserTestCase):
    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)
        politik = make_section(name="Politik", slug="politik")
        self.article = make_article(
            section=politik,
            headline="Landtag berät den Haushalt",
            body=LONG_BODY,
            tags=["Haushalt"],
        )
        for number in range(4):
            make_article(
                section=politik, headline=f"Empfehlung {number}", tags=["Haushalt"]
            )
        # Slots in use that no campaign fills for this reader.
        make_slot(key="article-end-2")
        make_native_slot()
        for key, width, height, below_fold in [
            ("header", 728, 90, False),
            ("article-end-1", 300, 250, True),
        ]:
            make_creative(
                slot=make_slot(
                    key=key, width=width, height=height, is_below_fold=below_fold
                ),
                image=image_file("motiv.png", size=(width, height), fmt="PNG"),
                alt_text=f"Motiv für {key}",
            )

    def shared_copy(self):
        """The page as nginx keeps it for everyone in that second."""
        request = urllib.request.Request(
            f"{self.live_server_url}{self.article.get_absolute_url()}",
            headers={SHARED_COPY_HEADER: "1", "User-Agent": READER_AGENT},
        )
        with urllib.request.urlopen(request) as response:
            return dict(response.headers), response.read()

    def reader(self, url, headers, body):
        """A reader whose request for `url` nginx answers with the copy."""
        page = self.new_page(
            user_agent=READER_AGENT, viewport={"width": 1280, "height": 800}
        )
        page.context.add_init_script(COLLECT_VIOLATIONS)
        page.route(
            url, lambda route: route.fulfill(status=200, headers=headers, body=body)
        )
        page.goto(url, wait_until="load")
        return page

    def test_both_readers_of_one_copy_see_and_count_their_own_ads_and_view(self):
        headers, body = self.shared_copy()
        self.assertNotIn(b"data-ad-token", body)
        self.assertIn(b'data-ad-pending="article-end-2"', body)
        self.assertIn(b'data-ad-pending="related-sponsored"', body)
        url = f"{self.live_server_url}{self.article.get_absolute_url()}"

        pages = [self.reader(url, headers, body) for _ in range(2)]

        for page in pages:
            page.wait_for_selector('[data-ad-slot="header"][data-ad-token]')
            self.assertEqual(page.locator("[data-ad-pending]").count(), 0)
            self.assertEqual(page.locator("[data-ad-token]").count(), 2)
            self.assertTrue(page.locator('img[alt="Motiv für header"]').count())
            # An empty slot's space goes; a sponsored card's recommendation stays.
            self.assertEqual(page.locator(".ad-slot--article-end-2").count(), 0)
            self.assertEqual(page.locator(".related .card").count(), 4)
        tokens = [
            page.locator("[data-ad-token]").first.get_attribute("data-ad-token")
            for page in pages
        ]
        self.assertNotEqual(tokens[0], tokens[1])
        self.assertTrue(wait_for(lambda: views() == 2))
        self.assertTrue(wait_for(lambda: counted(AdEvent.SERVED) == 4))
        # The header ad is in view at once: viewable for each reader.
        self.assertTrue(wait_for(lambda: counted(AdEvent.VIEWABLE) == 2, seconds=10))
        for page in pages:
            page.wait_for_load_state("networkidle")
            self.assertEqual(page.evaluate("window.cspViolations"), [])
