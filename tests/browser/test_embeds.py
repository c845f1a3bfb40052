"""An embed in chromium: nothing comes from the provider until the reader
clicks; "Immer von … laden" loads the provider's other embeds on this page,
and nothing is stored on the device."""

from urllib.parse import urlsplit

from tests.browser.base import BrowserTestCase
from tests.factories import make_article, make_embed

VIMEO = ["https://vimeo.com/76979871", "https://vimeo.com/76979872"]
YOUTUBE = "https://www.youtube.com/watch?v=Hafen000001"


class EmbedInBrowserTests(BrowserTestCase):
    def setUp(self):
        for url in [*VIMEO, YOUTUBE]:
            make_embed(url, title=f"Film {url[-2:]}")
        links = "".join(
            f'<p><a href="{url}">{url}</a></p>' for url in [*VIMEO, YOUTUBE]
        )
        self.article = make_article(body=f"<p>Vom Hafenfest.</p>{links}")

    def test_the_provider_is_contacted_only_after_the_click(self):
        reader = self.open(self.article.get_absolute_url())
        # The provider's player, answered here: our machines reach no provider.
        reader.route(
            "https://player.vimeo.com/**",
            lambda route: route.fulfill(
                content_type="text/html", body="<p>Vimeo-Player (Attrappe)</p>"
            ),
        )
        reader.wait_for_load_state("networkidle")
        own_host = urlsplit(self.live_server_url).netloc
        self.assertEqual(self.requested_hosts, {own_host})
        self.assertEqual(reader.locator(".embed iframe").count(), 0)

        first = reader.locator("[data-embed]").first
        first.locator(".embed__always input").check()
        first.locator(".embed__load").click()

        frames = reader.locator("[data-provider=vimeo] iframe")
        frames.first.wait_for()
        self.assertEqual(frames.count(), 2)
        self.assertIn(
            "Attrappe",
            reader.frame_locator("[data-provider=vimeo] iframe")
            .first.locator("p")
            .inner_text(),
        )
        # YouTube waits for its own click.
        self.assertEqual(reader.locator("[data-provider=youtube] iframe").count(), 0)
        self.assertEqual(self.requested_hosts, {own_host, "player.vimeo.com"})
        self.assertEqual(reader.context.cookies(), [])
        self.assertEqual(
            reader.evaluate("localStorage.length + sessionStorage.length"), 0
        )

        reader.reload()
        self.assertEqual(reader.locator(".embed iframe").count(), 0)
