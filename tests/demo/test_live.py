from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from live.models import Eilmeldung, Entry, Ticker


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


class DemoLiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("load_demo_content")
        run("load_demo_ads")
        run("create_demo_admin")
        run("load_demo_ticker")
        cls.ticker = Ticker.objects.get()

    def test_a_running_ticker_with_key_events_a_pinned_entry_and_a_correction(self):
        response = self.client.get(self.ticker.article.get_absolute_url())

        self.assertContains(response, "Das Wichtigste in Kürze")
        self.assertContains(response, "Angeheftet")
        self.assertContains(response, "bearbeitet um")
        self.assertContains(response, "redakteurin")
        self.assertTrue(self.ticker.is_running)

    def test_the_startseite_shows_the_ticker_in_its_liveticker_block(self):
        run("load_demo_fronts")

        response = self.client.get(reverse("articles:front_page"))

        self.assertContains(response, "front-block--ticker")
        self.assertContains(
            response, f'href="{self.ticker.article.get_absolute_url()}"'
        )
        self.assertContains(
            response, '<p class="teaser-label teaser-label--live">Live</p>'
        )

    def test_the_ticker_has_ad_slots_in_the_inventory(self):
        response = self.client.get(self.ticker.article.get_absolute_url())

        self.assertContains(response, 'data-ad-slot="liveticker-1"')

    def test_loading_twice_changes_nothing(self):
        entries = Entry.objects.count()

        self.assertIn("besteht schon", run("load_demo_ticker"))

        self.assertEqual(Entry.objects.count(), entries)

    def test_the_demo_eilmeldung_starts_and_ends(self):
        front = reverse("articles:front_page")

        run("demo_eilmeldung", "--start")
        self.assertContains(self.client.get(front), "Deich in Auenbrück gebrochen")

        run("demo_eilmeldung", "--end")
        self.assertNotContains(self.client.get(front), "Deich in Auenbrück gebrochen")
        self.assertFalse(Eilmeldung.objects.running().exists())

    def test_a_set_end_must_lie_ahead(self):
        with self.assertRaises(CommandError):
            run("demo_eilmeldung", "--start", "--minuten", "0")
