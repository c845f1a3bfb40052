"""The Liveticker for readers: the page, its changes for the script, its
older pages, feed and structured data, and what the page cache keeps."""

import json
import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from live.models import Entry, Ticker
from tests.factories import make_article, make_entry, make_slot, make_ticker

SHARED_COPY = {"HTTP_X_NEWSROOM_SHARED_COPY": "1"}


def structured_data(response):
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>',
            response.content.decode(),
            re.S,
        )
    ]


class TickerPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Hochwasser an der Oder")
        cls.ticker = make_ticker(cls.article)
        cls.url = cls.article.get_absolute_url()

    def test_entries_newest_first_with_time_and_sanitised_text(self):
        make_entry(self.ticker, "<p>Pegel steigt.</p>")
        make_entry(self.ticker, "<p>Deich hält.<script>alert(1)</script></p>")

        response = self.client.get(self.url)

        content = response.content.decode()
        self.assertLess(content.index("Deich hält."), content.index("Pegel steigt."))
        self.assertNotIn("alert(1)", content)
        self.assertContains(response, " Uhr</time>")
        self.assertContains(response, '<span class="ticker__live">Live</span>')

    def test_key_events_above_the_stream_and_pinned_entries_on_top(self):
        make_entry(
            self.ticker, "<p>Evakuierung in Frankfurt (Oder).</p>", is_key_event=True
        )
        make_entry(self.ticker, "<p>Hotline: 0335 123456</p>", is_pinned=True)
        make_entry(self.ticker, "<p>Neuer Pegelstand.</p>")

        content = self.client.get(self.url).content.decode()

        key_events = content.index("Das Wichtigste in Kürze")
        pinned = content.index("ticker__pinned")
        stream = content.index("data-ticker-stream")
        self.assertLess(key_events, pinned)
        self.assertLess(pinned, stream)
        self.assertIn("Evakuierung in Frankfurt (Oder).", content[key_events:pinned])
        self.assertIn("Hotline", content[pinned:stream])

    def test_edits_and_deletions_show_as_corrections(self):
        edited = make_entry(self.ticker, "<p>500 Helfer im Einsatz.</p>")
        edited.text = "<p>800 Helfer im Einsatz.</p>"
        edited.save()
        deleted = make_entry(self.ticker, "<p>Falsche Meldung.</p>")
        deleted.remove()

        response = self.client.get(self.url)

        self.assertContains(response, "800 Helfer im Einsatz.")
        self.assertContains(response, "bearbeitet um")
        self.assertContains(response, "Dieser Eintrag wurde um")
        self.assertNotContains(response, "Falsche Meldung.")

    def test_pinning_is_not_an_edit(self):
        entry = make_entry(self.ticker)
        entry.is_pinned = True
        entry.save(update_fields=["is_pinned"])

        entry.refresh_from_db()
        self.assertIsNone(entry.edited_at)

    def test_an_ended_ticker_says_so(self):
        self.ticker.end()

        response = self.client.get(self.url)

        self.assertContains(response, "Der Ticker ist beendet.")
        self.assertContains(response, 'data-running="false"')

    def test_live_blog_posting_with_updates_and_coverage_times(self):
        make_entry(self.ticker, "<p>Pegel bei 6,20 Metern.</p>")
        self.ticker.end()

        data = structured_data(self.client.get(self.url))

        live = next(item for item in data if item["@type"] == "LiveBlogPosting")
        self.assertEqual(live["headline"], "Hochwasser an der Oder")
        self.assertIn("coverageStartTime", live)
        self.assertIn("coverageEndTime", live)
        self.assertEqual(
            live["liveBlogUpdate"][0]["articleBody"], "Pegel bei 6,20 Metern."
        )

    def test_older_entries_are_paged_for_readers_without_javascript(self):
        for number in range(25):
            make_entry(self.ticker, f"<p>Eintrag Nummer {number}.</p>")

        first = self.client.get(self.url)
        older = self.client.get(reverse("live:older_entries", args=[self.ticker.pk, 2]))

        self.assertContains(first, "Eintrag Nummer 24.")
        self.assertNotContains(first, "Eintrag Nummer 4.")
        self.assertContains(first, "Ältere Einträge")
        self.assertContains(older, "Eintrag Nummer 4.")
        self.assertNotContains(older, "Eintrag Nummer 24.")
        empty = self.client.get(reverse("live:older_entries", args=[self.ticker.pk, 9]))
        self.assertEqual(empty.status_code, 404)

    def test_an_ad_slot_after_every_fifth_entry(self):
        make_slot(key="liveticker-1")
        for number in range(7):
            make_entry(self.ticker, f"<p>Eintrag {number}.</p>")

        content = self.client.get(self.url, **SHARED_COPY).content.decode()

        self.assertEqual(content.count("slot=liveticker-1"), 1)
        self.assertLess(content.index("Eintrag 2."), content.index("liveticker-1"))
        self.assertLess(content.index("liveticker-1"), content.index("Eintrag 1."))

    def test_the_feed_carries_the_entries(self):
        make_entry(self.ticker, "<p>Bundeswehr hilft beim Deichbau.</p>")

        response = self.client.get(reverse("live:feed", args=[self.ticker.pk]))

        self.assertContains(response, "Bundeswehr hilft beim Deichbau.")
        self.assertContains(response, "Hochwasser an der Oder – Liveticker")

    def test_an_ordinary_article_has_no_ticker(self):
        response = self.client.get(make_article().get_absolute_url())

        self.assertNotContains(response, "data-ticker")

    def test_the_ticker_adds_three_queries_to_its_uncached_page(self):
        plain = make_article(section=self.article.section)
        for number in range(7):
            make_entry(self.ticker, f"<p>Eintrag {number}.</p>", is_key_event=True)
        self.client.get(reverse("articles:front_page"))  # the ads' snapshot

        def queries(url):
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url)["X-Cache"], "MISS")
            return len(captured)

        # The ticker, its newest entries, pinned entries and key events,
        # less the one query that finds a plain article has no ticker.
        self.assertLessEqual(queries(self.url) - queries(plain.get_absolute_url()), 3)

    def test_no_cookie_and_only_our_own_script(self):
        response = self.client.get(self.url)

        self.assertEqual(response.cookies, {})
        self.assertContains(response, "/static/live/ticker")


class ChangesTests(TestCase):
    """The address the page's script asks: `?seit=<revision>`."""

    @classmethod
    def setUpTestData(cls):
        cls.ticker = make_ticker()
        cls.first = make_entry(cls.ticker, "<p>Erster Eintrag.</p>")

    def changes(self, since, **extra):
        return self.client.get(
            reverse("live:changes", args=[self.ticker.pk]), {"seit": since}, **extra
        )

    def test_new_entries_after_the_revision_the_reader_has(self):
        seen = self.ticker.revision
        make_entry(self.ticker, "<p>Zweiter Eintrag.</p>")

        answer = self.changes(seen).json()

        self.assertEqual(answer["revision"], seen + 1)
        self.assertEqual(len(answer["entries"]), 1)
        self.assertIn("Zweiter Eintrag.", answer["entries"][0]["html"])
        self.assertTrue(answer["running"])

    def test_an_edit_comes_as_a_change_of_the_same_entry(self):
        seen = Entry.objects.get(pk=self.first.pk).revision
        self.first.text = "<p>Erster Eintrag, korrigiert.</p>"
        self.first.save()

        answer = self.changes(seen).json()

        self.assertEqual([entry["id"] for entry in answer["entries"]], [self.first.pk])
        self.assertIn("bearbeitet um", answer["entries"][0]["html"])

    def test_a_reader_who_is_up_to_date_gets_nothing_new(self):
        answer = self.changes(self.ticker.revision).json()

        self.assertEqual(answer["entries"], [])

    def test_a_made_up_revision_is_refused_and_not_stored(self):
        for since in ("abc", "-1", str(self.ticker.revision + 1)):
            with self.subTest(since=since):
                response = self.changes(since)
                self.assertEqual(response.status_code, 400)
                self.assertIn("neu laden", response.json()["error"])
                self.assertNotIn("X-Cache", response)

    def test_every_reader_shares_one_cached_answer(self):
        self.assertEqual(self.changes(1)["X-Cache"], "MISS")

        with CaptureQueriesContext(connection) as queries:
            response = self.changes(1)

        self.assertEqual(response["X-Cache"], "HIT")
        self.assertEqual(len(queries), 1)
        self.assertIn("s-maxage=1", response["Cache-Control"])

    def test_an_uncached_answer_takes_four_queries(self):
        make_entry(self.ticker, "<p>Noch ein Eintrag.</p>")
        self.changes(1)  # the clock's next change, kept per content version

        # The version check, the ticker, its changes, pinned and key events.
        with self.assertNumQueries(4):
            self.assertEqual(self.changes(0)["X-Cache"], "MISS")

    def test_a_ticker_on_an_unpublished_article_is_not_found(self):
        self.ticker.article.withdraw()

        self.assertEqual(self.changes(0).status_code, 404)


class PageCacheTests(TestCase):
    """A new entry retires exactly the pages that show its ticker."""

    @classmethod
    def setUpTestData(cls):
        cls.ticker = make_ticker()
        cls.other_ticker = make_ticker()
        make_entry(cls.ticker)
        make_entry(cls.other_ticker)
        cls.plain = make_article(section=cls.ticker.article.section)

    def addresses(self, ticker):
        return [
            ticker.article.get_absolute_url(),
            reverse("live:changes", args=[ticker.pk]) + f"?seit={ticker.revision}",
            reverse("live:feed", args=[ticker.pk]),
        ]

    def warm(self, urls):
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Cache"], "HIT", url)

    def test_a_new_entry_retires_its_ticker_page_poll_answers_and_feed(self):
        urls = self.addresses(self.ticker)
        self.warm(urls)

        make_entry(self.ticker, "<p>Jetzt neu.</p>")

        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["X-Cache"], "MISS")

    def test_other_pages_stay_cached(self):
        urls = [
            *self.addresses(self.other_ticker),
            self.plain.get_absolute_url(),
            self.plain.section.get_absolute_url(),
            reverse("articles:front_page"),
        ]
        self.warm(urls)

        make_entry(self.ticker, "<p>Jetzt neu.</p>")

        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["X-Cache"], "HIT")

    def test_ending_a_ticker_retires_its_article_page(self):
        url = self.ticker.article.get_absolute_url()
        self.warm([url])

        self.ticker.end()

        self.assertContains(self.client.get(url), "Der Ticker ist beendet.")

    def test_making_an_article_a_ticker_retires_its_page(self):
        url = self.plain.get_absolute_url()
        self.warm([url])

        make_ticker(self.plain)

        self.assertContains(self.client.get(url), "data-ticker")


class TeaserTests(TestCase):
    """What a front's Liveticker block gets: running tickers and a teaser."""

    def test_running_tickers_and_their_newest_entries(self):
        from django.template import Context, Template

        from pagecache.dependencies import collecting

        ticker = make_ticker(make_article(headline="Gipfel in Brüssel"))
        make_ticker().end()
        make_entry(ticker, "<p>Die Abschlusserklärung ist da.</p><p>Mehr gleich.</p>")

        running = list(Ticker.objects.running())
        with collecting() as read:
            html = Template(
                "{% load live %}{% for t in tickers %}{% ticker_teaser t %}{% endfor %}"
            ).render(Context({"tickers": running}))

        self.assertEqual(running, [ticker])
        self.assertIn("Gipfel in Brüssel", html)
        self.assertIn("Die Abschlusserklärung ist da. Mehr gleich.", html)
        # A new entry retires the page that shows the teaser.
        self.assertIn(f"ticker:{ticker.pk}", read)
