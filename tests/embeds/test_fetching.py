"""Titles and previews come from the provider when a journalist adds the
link, after the save has committed; any failure is explained in German and
readers still get a placeholder."""

from urllib.error import URLError

from django.test import TestCase, override_settings

from embeds.jobs import fetch_embed_preview
from embeds.models import Embed, PreviewState
from embeds.services import (
    ProviderError,
    PublicRedirects,
    fetch_preview,
    http_get,
)
from jobs.models import Job
from tests.factories import make_article, make_embed, make_entry, make_ticker
from tests.job_backends import IN_THE_DATABASE

from .recorded import not_found, provider_answers

ADDRESSES = {
    "youtube": "https://youtu.be/Hafen000001",
    "vimeo": "https://vimeo.com/76979871",
    "x": "https://x.com/landtag_beispiel/status/1790000000000000001",
    "mastodon": "https://social.example.org/@wetterwarte/112233445566778899",
    "bluesky": "https://bsky.app/profile/radverkehr-kiel.example/post/3kradweg2026",
    "tiktok": "https://www.tiktok.com/@kuestenkueche/video/7300000000000000001",
    "spotify": "https://open.spotify.com/episode/4Watt0Hafen1Podcast",
    "datawrapper": "https://datawrapper.dwcdn.net/Ab3Xy/1/",
}


def paragraph(url):
    return f'<p><a href="{url}">{url}</a></p>'


class FetchAfterSaveTests(TestCase):
    def test_saving_an_article_stores_its_embeds_and_fetches_after_the_commit(self):
        with provider_answers() as asked:
            with self.captureOnCommitCallbacks() as callbacks:
                make_article(body=paragraph(ADDRESSES["vimeo"]))
            embed = Embed.objects.get()
            self.assertEqual(embed.state, PreviewState.PENDING)
            self.assertEqual(asked, [])

            for callback in callbacks:
                callback()

        embed.refresh_from_db()
        self.assertEqual(embed.state, PreviewState.READY)
        self.assertEqual(embed.title, "Die letzte Fähre nach Süderoog")
        self.assertEqual(embed.author_name, "Kurzfilmwerkstatt Husum")
        self.assertTrue(embed.preview.name.startswith("embeds/"))
        self.assertEqual((embed.preview_width, embed.preview_height), (480, 270))

    def test_every_provider_with_an_open_oembed_answer_gives_a_title(self):
        with provider_answers():
            with self.captureOnCommitCallbacks(execute=True):
                make_article(body="".join(map(paragraph, ADDRESSES.values())))

        embeds = {embed.provider: embed for embed in Embed.objects.all()}
        self.assertEqual(set(embeds), set(ADDRESSES))
        for provider, embed in embeds.items():
            with self.subTest(provider):
                self.assertEqual(embed.state, PreviewState.READY, embed.problem)
                self.assertTrue(embed.title or embed.author_name)
        self.assertEqual(
            embeds["mastodon"].frame_url,
            "https://social.example.org/@wetterwarte/112233445566778899/embed",
        )
        self.assertEqual(
            embeds["bluesky"].frame_url,
            "https://embed.bsky.app/embed/did:plc:abcdefghijklmnop"
            "/app.bsky.feed.post/3kradweg2026",
        )

    def test_a_ticker_entry_adds_its_embed_too(self):
        ticker = make_ticker()

        with provider_answers():
            with self.captureOnCommitCallbacks(execute=True):
                make_entry(ticker, paragraph(ADDRESSES["spotify"]))

        self.assertEqual(
            Embed.objects.get().title,
            "Hafenfunk – Folge 12: Wer baut die neue Brücke?",
        )

    def test_a_link_already_stored_is_not_fetched_again(self):
        make_embed(ADDRESSES["vimeo"])

        with provider_answers() as asked:
            with self.captureOnCommitCallbacks(execute=True):
                make_article(body=paragraph(ADDRESSES["vimeo"]))

        self.assertEqual(asked, [])
        self.assertEqual(Embed.objects.count(), 1)


class FetchFailureTests(TestCase):
    def fetch(self, url, **special):
        embed = make_embed(url, title="", state=PreviewState.PENDING)
        with provider_answers(**special):
            fetch_preview(embed.pk)
        embed.refresh_from_db()
        return embed

    def assert_failed(self, embed, message):
        self.assertEqual(embed.state, PreviewState.FAILED)
        self.assertIn(message, embed.problem)
        self.assertFalse(embed.preview)

    def test_an_unreachable_provider_is_named(self):
        embed = self.fetch(
            ADDRESSES["vimeo"],
            **{"https://vimeo.com/api/": URLError("timed out")},
        )

        self.assert_failed(embed, "Vimeo war nicht erreichbar.")

    def test_an_unknown_post_asks_to_check_the_link(self):
        embed = self.fetch(
            ADDRESSES["youtube"],
            **{"https://www.youtube.com/oembed": not_found("x")},
        )

        self.assert_failed(embed, "YouTube kennt diesen Beitrag nicht")

    def test_an_unreadable_answer_is_reported(self):
        embed = self.fetch(
            ADDRESSES["tiktok"], **{"https://www.tiktok.com/oembed": "broken.json"}
        )

        self.assert_failed(embed, "TikTok hat keine lesbare Vorschau geschickt.")

    def test_a_preview_that_is_no_picture_is_refused(self):
        embed = self.fetch(
            ADDRESSES["spotify"],
            **{"https://i.scdn.co/": b"<html>kein Bild</html>"},
        )

        self.assert_failed(
            embed, "Das Vorschaubild von Spotify ist kein lesbares Bild."
        )

    def test_instagram_offers_no_open_preview(self):
        embed = self.fetch("https://www.instagram.com/p/C0Hafen1/")

        self.assert_failed(embed, "Instagram gibt Vorschauen nur mit einem")

    def test_a_mastodon_like_address_on_another_host_is_never_framed(self):
        embed = self.fetch("https://blog.example.net/@redaktion/20260101")
        article = make_article(body=paragraph(embed.url))

        response = self.client.get(article.get_absolute_url())

        self.assert_failed(embed, "Mastodon war nicht erreichbar.")
        self.assertEqual(embed.frame_url, "")
        self.assertContains(response, "Beitrag bei Mastodon öffnen")
        self.assertNotContains(response, "data-embed-frame")
        self.assertNotIn("frame-src", response["Content-Security-Policy"])

    def test_a_failure_breaks_no_page(self):
        embed = self.fetch(
            ADDRESSES["vimeo"],
            **{"https://vimeo.com/api/": URLError("timed out")},
        )
        article = make_article(body=paragraph(embed.url))

        response = self.client.get(article.get_absolute_url())

        self.assertContains(response, "Beim Laden werden Daten an Vimeo übertragen")


class OnlyPublicHostsTests(TestCase):
    """A provider's answer names the preview's address: it must not make
    our server fetch from itself or its neighbours."""

    def test_addresses_on_our_own_or_a_private_network_are_refused(self):
        for address in (
            "https://127.0.0.1/vorschau.jpg",
            "https://localhost:8000/admin/",
            "https://10.0.0.7/vorschau.jpg",
            "https://[::1]/vorschau.jpg",
            "https://169.254.169.254/latest/meta-data/",
        ):
            with (
                self.subTest(address),
                self.assertRaisesMessage(ProviderError, "kein öffentliches Netz"),
            ):
                http_get(address, 1000)

    def test_a_redirect_into_a_private_network_is_refused(self):
        with self.assertRaisesMessage(ProviderError, "kein öffentliches Netz"):
            PublicRedirects().redirect_request(
                None, None, 302, "Found", {}, "https://192.168.1.1/"
            )


@override_settings(TASKS=IN_THE_DATABASE)
class FetchInTheWorkerTests(TestCase):
    def test_the_save_leaves_the_fetch_to_the_worker(self):
        with provider_answers() as asked:
            with self.captureOnCommitCallbacks(execute=True):
                make_article(body=paragraph(ADDRESSES["vimeo"]))
            self.assertEqual(asked, [])

        embed = Embed.objects.get()
        self.assertEqual(embed.state, PreviewState.PENDING)
        job = Job.objects.pending().get(task_path=fetch_embed_preview.module_path)
        self.assertEqual(job.args_kwargs["args"], [embed.pk])
