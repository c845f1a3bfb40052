"""The ticker desk in the admin: who may post, pin, mark, delete and end,
and several journalists posting into one ticker at once."""

from django.contrib.admin.models import LogEntry
from django.test import TestCase
from django.urls import reverse
from reversion.models import Version

from live.models import Entry, Ticker
from tests.factories import (
    image_file,
    make_article,
    make_desk_editor,
    make_entry,
    make_journalist,
    make_ticker,
)


class DeskTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist(first_name="Jana", last_name="Vogt")
        cls.colleague = make_journalist(first_name="Tom", last_name="Berg")
        cls.desk = make_desk_editor()
        cls.ticker = make_ticker(make_article(headline="Landtagswahl in Sachsen"))
        cls.url = reverse("admin:live_ticker_desk", args=[cls.ticker.pk])

    def post(self, user, **data):
        self.client.force_login(user)
        return self.client.post(self.url, data)

    def test_a_journalist_posts_with_one_field(self):
        response = self.post(
            self.journalist, text="<p>Erste Hochrechnung: CDU vorn.</p>"
        )

        self.assertRedirects(response, self.url)
        entry = Entry.objects.get()
        self.assertEqual(entry.author, self.journalist)
        self.assertEqual(entry.text, "<p>Erste Hochrechnung: CDU vorn.</p>")
        self.assertEqual(
            Version.objects.get_for_object(entry).get().revision.user, self.journalist
        )
        self.assertTrue(LogEntry.objects.filter(object_id=str(entry.pk)).exists())

    def test_the_desk_page_has_the_editor_and_ctrl_enter(self):
        self.client.force_login(self.journalist)
        make_entry(self.ticker)

        with self.assertNumQueries(8):
            response = self.client.get(self.url)

        self.assertContains(response, "Strg+Enter veröffentlicht.")
        self.assertContains(response, "live/admin/desk")
        self.assertContains(response, "prose-editor")
        # Pinning and key events are the desk's.
        self.assertNotContains(response, "is_pinned")
        self.assertNotContains(response, 'value="pin"')

    def test_two_journalists_post_into_one_ticker_without_conflict(self):
        self.post(self.journalist, text="<p>Von Jana.</p>")
        self.post(self.colleague, text="<p>Von Tom.</p>")

        self.assertEqual(
            sorted(Entry.objects.values_list("text", flat=True)),
            ["<p>Von Jana.</p>", "<p>Von Tom.</p>"],
        )
        self.assertEqual(
            sorted(Entry.objects.values_list("revision", flat=True)), [1, 2]
        )

    def test_an_empty_entry_is_refused_in_german(self):
        for text, message in (
            ("", "Dieses Feld ist zwingend erforderlich."),
            ("<p></p>", "Der Eintrag ist leer."),
        ):
            with self.subTest(text=text):
                response = self.post(self.journalist, text=text)
                self.assertContains(response, message)
        self.assertFalse(Entry.objects.exists())

    def test_a_markup_only_entry_is_refused(self):
        response = self.post(self.journalist, text="<script>x</script>")

        self.assertContains(response, "Der Eintrag ist leer.")
        self.assertFalse(Entry.objects.exists())

    def test_an_image_needs_its_credit(self):
        self.client.force_login(self.journalist)
        response = self.client.post(
            self.url,
            {"text": "<p>Wahllokal.</p>", "image": image_file(), "image_alt": "Urne"},
        )

        self.assertContains(response, "Bitte den Bildnachweis angeben.")
        self.assertContains(response, "Wahllokal.")
        self.assertFalse(Entry.objects.exists())

    def test_an_image_with_credit_is_stored_with_renditions(self):
        self.client.force_login(self.journalist)
        self.client.post(
            self.url,
            {
                "text": "<p>Wahllokal.</p>",
                "image": image_file(),
                "image_alt": "Eine Wahlurne",
                "image_credit": "Jana Vogt",
            },
        )

        entry = Entry.objects.get()
        self.assertEqual(entry.image_credit_line, "Foto: Jana Vogt")
        self.assertTrue(entry.image_renditions)

    def test_nobody_posts_into_an_ended_ticker(self):
        self.ticker.end()

        response = self.post(self.journalist, text="<p>Zu spät.</p>")

        self.assertContains(response, "Der Ticker ist beendet.")
        self.assertFalse(Entry.objects.exists())

    def test_the_desk_pins_and_marks_key_events(self):
        entry = make_entry(self.ticker)

        self.post(self.desk, entry=entry.pk, action="pin")
        self.post(self.desk, entry=entry.pk, action="key")

        entry.refresh_from_db()
        self.assertTrue(entry.is_pinned)
        self.assertTrue(entry.is_key_event)
        self.assertEqual(
            Version.objects.get_for_object(entry).first().revision.comment,
            "Als wichtig markiert",
        )

    def test_a_journalist_may_not_pin_or_mark(self):
        entry = make_entry(self.ticker)

        for action in ("pin", "key"):
            with self.subTest(action=action):
                response = self.post(self.journalist, entry=entry.pk, action=action)
                self.assertEqual(response.status_code, 403)
        entry.refresh_from_db()
        self.assertFalse(entry.is_pinned or entry.is_key_event)

    def test_deleting_leaves_a_note_for_readers(self):
        entry = make_entry(self.ticker)

        self.post(self.journalist, entry=entry.pk, action="delete")

        entry.refresh_from_db()
        self.assertTrue(entry.is_deleted)
        self.assertContains(
            self.client.get(self.ticker.article.get_absolute_url()),
            "Dieser Eintrag wurde um",
        )

    def test_an_unknown_entry_or_action_is_not_found(self):
        entry = make_entry(self.ticker)
        for data in (
            {"entry": "x", "action": "pin"},
            {"entry": entry.pk, "action": "x"},
        ):
            with self.subTest(data=data):
                self.assertEqual(self.post(self.desk, **data).status_code, 404)

    def test_correcting_an_entry_marks_it_edited(self):
        entry = make_entry(self.ticker, "<p>CDU bei 30 Prozent.</p>")
        self.client.force_login(self.journalist)

        response = self.client.post(
            reverse("admin:live_entry_change", args=[entry.pk]),
            {"text": "<p>CDU bei 31 Prozent.</p>", "image_alt": "", "image_credit": ""},
        )

        self.assertRedirects(response, self.url)
        entry.refresh_from_db()
        self.assertEqual(entry.text, "<p>CDU bei 31 Prozent.</p>")
        self.assertIsNotNone(entry.edited_at)

    def test_restoring_an_entry_brings_its_text_back_and_keeps_the_others(self):
        self.post(self.journalist, text="<p>Fassung eins.</p>")
        entry = Entry.objects.get()
        self.client.post(
            reverse("admin:live_entry_change", args=[entry.pk]),
            {"text": "<p>Fassung zwei.</p>", "image_alt": "", "image_credit": ""},
        )
        self.post(self.colleague, text="<p>Später gepostet.</p>")

        Version.objects.get_for_object(entry).last().revision.revert()

        entry.refresh_from_db()
        self.assertEqual(entry.text, "<p>Fassung eins.</p>")
        self.assertEqual(Entry.objects.count(), 2)


class TickerRolesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist()
        cls.desk = make_desk_editor()
        cls.article = make_article()

    def test_the_desk_starts_a_ticker_and_a_journalist_may_not(self):
        url = reverse("admin:live_ticker_add")
        data = {
            "article": self.article.pk,
            "started_at_0": "03.12.2026",
            "started_at_1": "10:00",
        }

        self.client.force_login(self.journalist)
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.client.force_login(self.desk)
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertTrue(Ticker.objects.filter(article=self.article).exists())

    def test_only_the_desk_ends_a_ticker(self):
        ticker = make_ticker(self.article)
        url = reverse("admin:live_ticker_changelist")
        data = {"action": "end_tickers", "_selected_action": [ticker.pk]}

        self.client.force_login(self.journalist)
        self.client.post(url, data)
        ticker.refresh_from_db()
        self.assertTrue(ticker.is_running)

        self.client.force_login(self.desk)
        self.client.post(url, data)
        ticker.refresh_from_db()
        self.assertFalse(ticker.is_running)
        self.assertEqual(
            Version.objects.get_for_object(ticker).first().revision.comment,
            "Ticker beendet",
        )

    def test_a_journalist_opens_the_desk_and_an_ad_manager_may_not(self):
        from tests.factories import make_staff

        ticker = make_ticker(self.article)
        url = reverse("admin:live_ticker_desk", args=[ticker.pk])

        self.client.force_login(self.journalist)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(make_staff("Anzeigenverwaltung"))
        self.assertEqual(self.client.get(url).status_code, 403)
