"""What readers get for an embed: our placeholder, nothing from the
provider, a frame-src only where a page needs one, and pages that follow
the embed's changes."""

import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion import create_revision
from reversion.models import Version

from embeds.models import PreviewState
from tests.factories import make_article, make_embed, make_entry, make_ticker
from tests.test_security_headers import policy

from .recorded import drawn_picture

VIMEO = "https://vimeo.com/76979871"
YOUTUBE = "https://www.youtube.com/watch?v=Hafen000001"


def body_with(*urls):
    links = "".join(f'<p><a href="{url}">{url}</a></p>' for url in urls)
    return f"<p>Erster Absatz.</p>{links}<p>Letzter Absatz.</p>"


def other_hosts(content):
    """Hosts that the page's markup would load something from by itself."""
    loaded = re.findall(r'\s(?:src|srcset|poster|data)="(https?://[^"/]+)', content)
    return set(loaded)


class PlaceholderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from django.core.files.base import ContentFile

        cls.embed = make_embed(VIMEO, title="Die letzte Fähre nach Süderoog")
        cls.embed.preview.save("faehre.jpg", ContentFile(drawn_picture()))
        cls.article = make_article(body=body_with(VIMEO))

    def test_readers_see_our_placeholder_with_the_providers_name_and_title(self):
        response = self.client.get(self.article.get_absolute_url())

        self.assertContains(response, 'class="embed"')
        self.assertContains(response, "Vimeo")
        self.assertContains(response, "Die letzte Fähre nach Süderoog")
        self.assertContains(
            response, "Beim Laden werden Daten an Vimeo übertragen", count=1
        )
        self.assertContains(response, "Immer von Vimeo laden (nur auf dieser Seite)")

    def test_nothing_on_the_page_is_loaded_from_another_host(self):
        response = self.client.get(self.article.get_absolute_url())

        content = response.content.decode()
        self.assertNotIn("<iframe", content)
        self.assertEqual(other_hosts(content), set())
        self.assertIn(f'src="{self.embed.preview.url}"', content)
        self.assertTrue(self.embed.preview.url.startswith("/media/embeds/"))
        self.assertEqual(response.cookies, {})

    def test_the_frame_address_waits_in_a_data_attribute_for_the_click(self):
        response = self.client.get(self.article.get_absolute_url())

        self.assertContains(
            response,
            'data-embed-frame="https://player.vimeo.com/video/76979871?dnt=1&amp;'
            'autoplay=1"',
        )

    def test_a_failed_preview_still_gets_a_placeholder(self):
        make_embed(YOUTUBE, title="", state=PreviewState.FAILED, problem="Fehler.")
        article = make_article(body=body_with(YOUTUBE))

        response = self.client.get(article.get_absolute_url())

        self.assertContains(response, "YouTube")
        self.assertContains(response, "Beim Laden werden Daten an YouTube übertragen")
        self.assertContains(response, "Beitrag bei YouTube öffnen")

    def test_a_link_inside_a_sentence_stays_a_link(self):
        article = make_article(
            body=f'<p>Siehe <a href="{VIMEO}">den Film</a> zum Thema.</p>'
        )

        response = self.client.get(article.get_absolute_url())

        self.assertNotContains(response, 'class="embed"')
        self.assertContains(response, f'<a href="{VIMEO}"')

    def test_embeds_cost_one_query_however_many_there_are(self):
        one = make_article(body=body_with(YOUTUBE))
        several = make_article(
            body=body_with(VIMEO, YOUTUBE, "https://open.spotify.com/episode/abc")
        )

        self.client.get(make_article().get_absolute_url())  # shared parts
        counts = []
        for article in (one, several):
            with CaptureQueriesContext(connection) as queries:
                self.client.get(article.get_absolute_url())
            counts.append(len(queries))

        self.assertEqual(counts[1], counts[0])

    def test_the_article_feed_and_the_stored_text_keep_the_plain_link(self):
        self.assertIn(f'<a href="{VIMEO}"', self.article.body)


class FrameSourceTests(TestCase):
    def test_a_page_without_embeds_frames_nothing_from_elsewhere(self):
        response = self.client.get(make_article().get_absolute_url())

        self.assertNotIn("frame-src", policy(response))

    def test_a_page_with_embeds_allows_exactly_their_providers_frames(self):
        make_embed(VIMEO)
        article = make_article(body=body_with(VIMEO, YOUTUBE))

        first = self.client.get(article.get_absolute_url())
        cached = self.client.get(article.get_absolute_url())

        self.assertEqual(cached["X-Cache"], "HIT")
        for response in (first, cached):
            self.assertEqual(
                policy(response)["frame-src"],
                {
                    "'self'",
                    "https://player.vimeo.com",
                    "https://www.youtube-nocookie.com",
                },
            )
            self.assertEqual(policy(response)["script-src"], {"'self'"})


class EmbedChangeTests(TestCase):
    def test_a_fetched_title_retires_exactly_the_pages_that_show_the_embed(self):
        embed = make_embed(VIMEO, title="", state=PreviewState.PENDING)
        showing = make_article(body=body_with(VIMEO))
        other = make_article()
        for article in (showing, other):
            self.client.get(article.get_absolute_url())

        embed.mark_ready("Die letzte Fähre nach Süderoog", "Kurzfilmwerkstatt")

        response = self.client.get(showing.get_absolute_url())
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Die letzte Fähre nach Süderoog")
        self.assertEqual(self.client.get(other.get_absolute_url())["X-Cache"], "HIT")

    def test_restoring_an_old_version_brings_its_embed_back(self):
        make_embed(VIMEO, title="Die letzte Fähre nach Süderoog")
        article = make_article(body=body_with(VIMEO))
        with create_revision():
            article.save()
        article.body = "<p>Ohne Film.</p>"
        with create_revision():
            article.save()

        Version.objects.get_for_object(article).last().revision.revert()

        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "Die letzte Fähre nach Süderoog")


class TickerEmbedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_embed(VIMEO, title="Die letzte Fähre nach Süderoog")
        cls.ticker = make_ticker(make_article(headline="Sturmflut an der Küste"))
        make_entry(cls.ticker, body_with(VIMEO))

    def test_a_ticker_entry_shows_the_placeholder_on_the_page_and_in_its_changes(self):
        page = self.client.get(self.ticker.article.get_absolute_url())
        changes = self.client.get(
            reverse("live:changes", args=[self.ticker.pk]), {"seit": 0}
        )

        self.assertContains(page, "Die letzte Fähre nach Süderoog")
        self.assertIn(
            "Die letzte Fähre nach Süderoog", changes.json()["entries"][0]["html"]
        )
        self.assertIn("https://player.vimeo.com", policy(page)["frame-src"])

    def test_the_ticker_feed_carries_a_link_instead_of_a_frame(self):
        response = self.client.get(reverse("live:feed", args=[self.ticker.pk]))

        self.assertContains(response, VIMEO)
        self.assertNotContains(response, "iframe")
        self.assertNotContains(response, "player.vimeo.com")
