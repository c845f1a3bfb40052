"""Fronts and the live app: the Liveticker block and the automatic labels
"Live" and "Eilmeldung", and what the page cache retires for them."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from fronts.models import BlockKind
from tests.factories import (
    later,
    make_article,
    make_eilmeldung,
    make_entry,
    make_ticker,
)
from tests.fronts.factories import make_block, make_version


class LivetickerBlockTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.flood = make_ticker(
            make_article(headline="Hochwasser an der Aue"),
            started_at=timezone.now() - timedelta(hours=2),
        )
        make_entry(cls.flood, "<p>Der Pegel steigt weiter.</p>")
        cls.vote = make_ticker(make_article(headline="Wahlabend in Eltingen"))
        make_entry(cls.vote, "<p>Erste Hochrechnung.</p>")

    def front_page(self):
        return self.client.get("/")

    def warm(self):
        self.front_page()
        self.assertEqual(self.front_page()["X-Cache"], "HIT")

    def test_the_block_shows_the_newest_running_ticker_with_its_entries(self):
        make_block(make_version(), BlockKind.TICKER)

        response = self.front_page()

        self.assertContains(response, '<h2 id="block-', count=1)
        self.assertContains(response, "Wahlabend in Eltingen")
        self.assertContains(response, "Erste Hochrechnung.")
        self.assertContains(response, f'href="{self.vote.article.get_absolute_url()}"')
        self.assertNotContains(response, "Der Pegel steigt weiter.")

    def test_a_ticker_placed_by_hand_comes_first(self):
        make_block(make_version(), BlockKind.TICKER, placed=[self.flood.article])

        response = self.front_page()

        self.assertContains(response, "Der Pegel steigt weiter.")
        self.assertNotContains(response, "Erste Hochrechnung.")

    def test_an_ended_placed_ticker_gives_way_to_a_running_one(self):
        make_block(make_version(), BlockKind.TICKER, placed=[self.flood.article])
        self.warm()

        self.flood.end()

        self.assertContains(self.front_page(), "Erste Hochrechnung.")

    def test_without_a_running_ticker_the_block_shows_nothing(self):
        make_block(make_version(), BlockKind.TICKER, title="Live dabei")
        self.warm()

        self.flood.end()
        self.vote.end()

        response = self.front_page()
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertNotContains(response, "front-block--ticker")
        self.assertNotContains(response, "Live dabei")

    def test_a_new_entry_retires_the_front(self):
        make_block(make_version(), BlockKind.TICKER)
        self.warm()

        make_entry(self.vote, "<p>Die Wahlbeteiligung liegt bei 71 Prozent.</p>")

        response = self.front_page()
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Die Wahlbeteiligung liegt bei 71 Prozent.")

    def test_a_ticker_starting_retires_the_front(self):
        make_block(make_version(), BlockKind.TICKER)
        self.warm()

        make_ticker(make_article(headline="Sturmtief über der Küste"))

        self.assertContains(self.front_page(), "Sturmtief über der Küste")

    def test_a_front_without_a_ticker_block_stays_cached_on_new_entries(self):
        make_block(make_version(), BlockKind.TOP, count=1)
        self.warm()

        make_entry(self.vote, "<p>Noch eine Hochrechnung.</p>")

        self.assertEqual(self.front_page()["X-Cache"], "HIT")


def label_of(response, headline):
    page = response.content.decode()
    teaser = page[: page.rindex(headline)].rsplit('class="teaser ', 1)[-1]
    labels = [
        label
        for label in ("Eilmeldung", "Live", "Update")
        if f'teaser-label--{label.lower()}">{label}</p>' in teaser
    ]
    return labels[0] if labels else ""


class AutomaticLabelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Deich bei Auenbrück gebrochen")
        make_block(make_version(), BlockKind.TOP, count=1, placed=[cls.article])

    def front_page(self):
        return self.client.get("/")

    def label(self):
        return label_of(self.front_page(), "Deich bei Auenbrück gebrochen")

    def warm(self):
        self.front_page()
        self.assertEqual(self.front_page()["X-Cache"], "HIT")

    def test_no_label_for_an_ordinary_article(self):
        self.assertEqual(self.label(), "")

    def test_live_while_its_ticker_runs_and_not_after(self):
        self.warm()

        ticker = make_ticker(self.article)
        self.assertEqual(self.label(), "Live")

        ticker.end()
        self.assertEqual(self.label(), "")

    def test_eilmeldung_while_one_points_at_it_until_its_end(self):
        self.warm()
        make_ticker(self.article)

        eilmeldung = make_eilmeldung(text="", article=self.article)
        self.assertEqual(self.label(), "Eilmeldung")

        eilmeldung.end(user=None)
        self.assertEqual(self.label(), "Live")

    def test_an_eilmeldung_ending_at_its_set_time_takes_its_label(self):
        make_eilmeldung(
            text="", article=self.article, ends_at=timezone.now() + timedelta(minutes=5)
        )
        self.assertEqual(self.label(), "Eilmeldung")

        with later(minutes=6):
            self.assertEqual(self.label(), "")

    def test_a_label_placed_by_hand_wins(self):
        make_ticker(self.article)
        self.article.front_placements.update(label="update")

        self.assertEqual(self.label(), "Update")
