"""Journalists add an embed by its link in the admin; a link we can't embed
is refused in German, and the fetch's outcome is reported."""

from urllib.error import URLError

from django.test import TestCase
from django.urls import reverse

from embeds.models import Embed, PreviewState
from tests.factories import JOURNALIST, make_embed, make_staff

from .recorded import provider_answers

ADD = reverse("admin:embeds_embed_add")


class EmbedAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_staff(JOURNALIST)

    def setUp(self):
        self.client.force_login(self.journalist)

    def add(self, url, **special):
        """Add `url`, fetch after the commit, and open the list of embeds."""
        with provider_answers(**special):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(ADD, {"url": url})
        if response.status_code != 302:
            return response
        return self.client.get(reverse("admin:embeds_embed_changelist"))

    def test_a_providers_link_is_stored_with_its_preview(self):
        response = self.add("https://vimeo.com/76979871")

        embed = Embed.objects.get()
        self.assertEqual(embed.state, PreviewState.READY)
        self.assertEqual(embed.created_by, self.journalist)
        self.assertContains(response, "Die letzte Fähre nach Süderoog")
        self.assertContains(response, "Vorschau geladen")

    def test_an_unknown_address_is_refused_and_nothing_stored(self):
        response = self.add("https://example.org/video/1")

        self.assertContains(response, "Diese Adresse können wir nicht einbetten.")
        self.assertContains(response, "YouTube, Vimeo, X, Instagram, Mastodon")
        self.assertFalse(Embed.objects.exists())

    def test_a_providers_address_that_is_no_post_says_so(self):
        response = self.add("https://www.youtube.com/@stadtkanalnord")

        self.assertContains(
            response, "Diese Adresse bei YouTube ist kein einzelner Beitrag."
        )
        self.assertFalse(Embed.objects.exists())

    def test_the_same_post_is_not_stored_twice(self):
        make_embed("https://vimeo.com/76979871")

        response = self.add("https://vimeo.com/76979871?share=copy")

        self.assertContains(response, "Dieser Beitrag ist schon eingebettet.")

    def test_an_unreachable_provider_is_reported_and_the_embed_kept(self):
        response = self.add(
            "https://vimeo.com/76979871",
            **{"https://vimeo.com/api/": URLError("timed out")},
        )

        self.assertContains(response, "Vimeo war nicht erreichbar.")
        self.assertEqual(Embed.objects.get().state, PreviewState.FAILED)

    def test_fetching_again_from_the_list(self):
        embed = make_embed(
            "https://vimeo.com/76979871", state=PreviewState.FAILED, problem="Weg."
        )

        with provider_answers():
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(
                    reverse("admin:embeds_embed_changelist"),
                    {"action": "fetch_again", "_selected_action": [embed.pk]},
                )

        embed.refresh_from_db()
        self.assertEqual(embed.state, PreviewState.READY)
        self.assertEqual(embed.problem, "")
