"""A Bilderstrecke in chromium: paged by arrow keys and by swipes, the
address follows each picture without a reload, and every picture counts
as a view."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase
from tests.factories import make_gallery

SWIPE = """([fromX, toX]) => {
  const gallery = document.querySelector("[data-gallery]");
  const touch = (x) => new Touch({identifier: 1, target: gallery, clientX: x, clientY: 300});
  const send = (type, x) => gallery.dispatchEvent(new TouchEvent(type, {
    bubbles: true, cancelable: true, touches: type === "touchend" ? [] : [touch(x)],
    changedTouches: [touch(x)],
  }));
  send("touchstart", fromX);
  send("touchmove", (fromX + toX) / 2);
  send("touchend", toX);
}"""


class GalleryInBrowserTests(BrowserTestCase):
    def setUp(self):
        self.gallery = make_gallery(pictures=4, headline="Herbst im Stadtpark")

    def test_paging_by_keyboard_and_swipe_changes_the_address_without_a_reload(self):
        page = self.open(self.gallery.get_absolute_url(), has_touch=True)
        counted = []
        count_url = reverse("readership:count_view")
        page.on(
            "request",
            lambda request: (
                counted.append(request.url) if request.url.endswith(count_url) else None
            ),
        )
        page.evaluate("window.notReloaded = true")
        base = f"{self.live_server_url}{self.gallery.get_absolute_url()}"

        page.keyboard.press("ArrowRight")
        page.wait_for_url(f"{base}bild-2/")
        self.assertEqual(page.inner_text(".gallery__counter"), "Bild 2 von 4")

        page.evaluate(SWIPE, [300, 60])
        page.wait_for_url(f"{base}bild-3/")
        self.assertEqual(page.inner_text(".gallery__counter"), "Bild 3 von 4")

        page.evaluate(SWIPE, [60, 300])
        page.wait_for_url(f"{base}bild-2/")
        page.keyboard.press("ArrowLeft")
        page.wait_for_url(base)
        self.assertEqual(page.inner_text(".gallery__counter"), "Bild 1 von 4")

        page.go_back()
        page.wait_for_url(f"{base}bild-2/")
        # A locator's wait, not wait_for_function: that compiles its string in
        # the page, which the page's CSP (no 'unsafe-eval') refuses at times.
        expect(page.locator(".gallery__counter")).to_have_text("Bild 2 von 4")
        self.assertIs(page.evaluate("window.notReloaded"), True)
        canonical = page.get_attribute('link[rel="canonical"]', "href")
        self.assertEqual(canonical, f"{base}bild-2/")
        for _ in range(50):
            if len(counted) >= 5:
                break
            page.wait_for_timeout(100)
        # Each picture shown after the first: two, three, two, one, two.
        self.assertGreaterEqual(len(counted), 5)
        self.assertEqual(self.requested_hosts, {self.live_server_url.split("//")[1]})
        # A new document, so that the clean-up's wait for a quiet network ends:
        # the one Back went to is still the first page's.
        page.reload(wait_until="networkidle")
        self.assertEqual(page.inner_text(".gallery__counter"), "Bild 2 von 4")
