from django.test import SimpleTestCase

from embeds.providers import Provider, frame_origin, provider_of_host, recognise


class RecognitionTests(SimpleTestCase):
    def test_each_providers_post_addresses_are_recognised(self):
        cases = [
            (
                "https://www.youtube.com/watch?v=Hafen000001&t=42",
                Provider.YOUTUBE,
                "https://www.youtube.com/watch?v=Hafen000001",
                "https://www.youtube-nocookie.com/embed/Hafen000001?autoplay=1",
            ),
            (
                "https://youtu.be/Hafen000001",
                Provider.YOUTUBE,
                "https://www.youtube.com/watch?v=Hafen000001",
                "https://www.youtube-nocookie.com/embed/Hafen000001?autoplay=1",
            ),
            (
                "https://www.youtube.com/shorts/Hafen000001",
                Provider.YOUTUBE,
                "https://www.youtube.com/watch?v=Hafen000001",
                "https://www.youtube-nocookie.com/embed/Hafen000001?autoplay=1",
            ),
            (
                "https://vimeo.com/76979871",
                Provider.VIMEO,
                "https://vimeo.com/76979871",
                "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            ),
            (
                "https://twitter.com/landtag_beispiel/status/1790000000000000001",
                Provider.X,
                "https://x.com/landtag_beispiel/status/1790000000000000001",
                "https://platform.twitter.com/embed/Tweet.html"
                "?id=1790000000000000001&dnt=true",
            ),
            (
                "https://www.instagram.com/p/C0Hafen1/?igsh=abc",
                Provider.INSTAGRAM,
                "https://www.instagram.com/p/C0Hafen1/",
                "https://www.instagram.com/p/C0Hafen1/embed/",
            ),
            (
                "https://social.example.org/@wetterwarte/112233445566778899",
                Provider.MASTODON,
                "https://social.example.org/@wetterwarte/112233445566778899",
                "",
            ),
            (
                "https://bsky.app/profile/did:plc:abcdefghijklmnop/post/3kradweg2026",
                Provider.BLUESKY,
                "https://bsky.app/profile/did:plc:abcdefghijklmnop/post/3kradweg2026",
                "https://embed.bsky.app/embed/did:plc:abcdefghijklmnop"
                "/app.bsky.feed.post/3kradweg2026",
            ),
            (
                "https://www.tiktok.com/@kuestenkueche/video/7300000000000000001",
                Provider.TIKTOK,
                "https://www.tiktok.com/@kuestenkueche/video/7300000000000000001",
                "https://www.tiktok.com/embed/v2/7300000000000000001",
            ),
            (
                "https://open.spotify.com/intl-de/episode/4Watt0Hafen1Podcast",
                Provider.SPOTIFY,
                "https://open.spotify.com/episode/4Watt0Hafen1Podcast",
                "https://open.spotify.com/embed/episode/4Watt0Hafen1Podcast",
            ),
            (
                "https://datawrapper.dwcdn.net/Ab3Xy/3/",
                Provider.DATAWRAPPER,
                "https://datawrapper.dwcdn.net/Ab3Xy/",
                "https://datawrapper.dwcdn.net/Ab3Xy/",
            ),
        ]
        for pasted, provider, url, frame_url in cases:
            with self.subTest(pasted):
                link = recognise(pasted)

                self.assertEqual(
                    (link.provider, link.url, link.frame_url),
                    (provider, url, frame_url),
                )

    def test_a_bluesky_handle_waits_for_the_oembed_answer_to_name_the_frame(self):
        link = recognise("https://bsky.app/profile/radverkehr-kiel.example/post/3kr")

        self.assertEqual(link.frame_url, "")
        self.assertTrue(link.oembed_url.startswith("https://embed.bsky.app/oembed?"))

    def test_addresses_that_are_no_single_post_are_not_embeds(self):
        for url in [
            "https://www.youtube.com/@stadtkanalnord",
            "https://vimeo.com/channels/staffpicks",
            "https://x.com/landtag_beispiel",
            "https://www.instagram.com/kuestenkueche/",
            "https://example.org/artikel/123",
            "javascript:alert(1)",
            "ftp://youtube.com/watch?v=abc",
            "https://open.spotify.com/user/someone",
        ]:
            with self.subTest(url):
                self.assertIsNone(recognise(url))

    def test_a_providers_other_addresses_are_told_apart_from_strangers(self):
        self.assertEqual(
            provider_of_host("https://www.youtube.com/@stadtkanalnord"),
            Provider.YOUTUBE,
        )
        self.assertIsNone(provider_of_host("https://example.org/"))

    def test_the_frame_origin_is_https_only(self):
        self.assertEqual(
            frame_origin("https://player.vimeo.com/video/1"), "https://player.vimeo.com"
        )
        self.assertEqual(frame_origin("http://player.vimeo.com/video/1"), "")
