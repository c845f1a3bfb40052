"""What the article form promises a journalist: an address without
inventing one, a headline never cut, the desk's times left to the desk and
a correction never published as an update."""

import re

from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleStatus, Correction
from tests.factories import (
    article_form_data,
    change_url,
    make_article,
    make_desk_editor,
    make_draft,
    make_journalist,
    make_section,
)

ADD_URL = reverse("admin:articles_article_add")
HEADLINE_OF_130 = "Lang " * 25 + "Satz!"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def input_tag(response, name):
    """The rendered <input> or <textarea> opening tag of the field `name`."""
    match = re.search(
        rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', response.content.decode()
    )
    return match and match.group(0)


class AutomaticAddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(name="Politik", slug="politik")

    def setUp(self):
        self.client.force_login(make_journalist())

    def post_article(self, **overrides):
        return self.client.post(
            ADD_URL, article_form_data(section=self.section.pk, **overrides)
        )

    def test_the_add_form_leaves_the_slug_to_the_server(self):
        response = self.client.get(ADD_URL)

        # A slug filled in by script would be sent as if typed.
        self.assertNotContains(response, '"id": "#id_slug"')
        self.assertContains(response, "articles/admin/automatic_slug")

    def test_a_second_article_with_the_same_headline_gets_a_free_address(self):
        first = self.post_article(headline="Hitzewelle erreicht Berlin")
        second = self.post_article(headline="Hitzewelle erreicht Berlin")

        self.assertEqual(first.status_code, 302)
        self.assertEqual(second.status_code, 302)
        self.assertQuerySetEqual(
            Article.objects.order_by("pk").values_list("slug", flat=True),
            ["hitzewelle-erreicht-berlin", "hitzewelle-erreicht-berlin-2"],
        )
        self.assertIn(
            "Die Adresse des Artikels lautet "
            "http://testserver/politik/hitzewelle-erreicht-berlin-2/",
            messages_of(second),
        )

    def test_a_typed_slug_that_is_taken_is_refused_with_a_free_suggestion(self):
        make_article(section=self.section, headline="Schon da", slug="schon-da")

        response = self.post_article(slug="schon-da")

        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "In diesem Ressort gibt es schon einen Artikel mit der Adresse "
            "„schon-da“. Frei wäre zum Beispiel „schon-da-2“.",
        )
        self.assertEqual(Article.objects.count(), 1)


class HeadlineLengthTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section()

    def setUp(self):
        self.client.force_login(make_journalist())

    def post_article(self, **overrides):
        return self.client.post(
            ADD_URL, article_form_data(section=self.section.pk, **overrides)
        )

    def test_headline_and_lead_carry_counters_and_no_cutting_maxlength(self):
        response = self.client.get(ADD_URL)

        headline = input_tag(response, "headline")
        self.assertNotIn("maxlength", headline)
        self.assertIn('data-publish-limit="110"', headline)
        self.assertIn('data-max-length="200"', headline)
        self.assertIn("data-count-characters", input_tag(response, "lead"))
        self.assertContains(response, "articles/admin/character_counter")

    def test_a_headline_too_long_to_store_is_refused_whole_and_kept(self):
        headline = "Stadtrat " * 55 + "beschließt"  # 505 characters

        response = self.post_article(headline=headline)

        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "Die Überschrift ist 505 Zeichen lang; gespeichert werden können "
            "höchstens 200, veröffentlicht höchstens 110. Es wurde nichts "
            "abgeschnitten",
        )
        self.assertContains(response, f'value="{headline}"')
        self.assertFalse(Article.objects.exists())

    def test_a_draft_over_110_characters_is_saved_with_a_warning(self):
        response = self.post_article(headline=HEADLINE_OF_130)

        self.assertEqual(response.status_code, 302)
        self.assertTrue(Article.objects.exists())
        self.assertIn(
            f"„{HEADLINE_OF_130}“: Die Überschrift ist 130 Zeichen lang; "
            "veröffentlicht werden können höchstens 110. Bitte vor der "
            "Veröffentlichung kürzen.",
            messages_of(response),
        )

    def test_a_short_headline_saves_without_a_warning(self):
        response = self.post_article(headline="Kurz und klar")

        self.assertFalse(
            [text for text in messages_of(response) if "Zeichen lang" in text]
        )

    def test_submitting_a_headline_over_110_characters_warns(self):
        journalist = make_journalist()
        self.client.force_login(journalist)
        draft = make_draft(headline=HEADLINE_OF_130, created_by=journalist)

        response = self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "submit_for_review", "_selected_action": [draft.pk]},
        )

        draft.refresh_from_db()
        self.assertEqual(draft.status, ArticleStatus.REVIEW)
        self.assertIn("1 Artikel: zur Prüfung eingereicht.", messages_of(response))
        self.assertTrue(
            [text for text in messages_of(response) if "130 Zeichen lang" in text]
        )


class PublishingAnOverlongHeadlineTests(TestCase):
    """One clear message, and never the one about the publication time."""

    def setUp(self):
        self.client.force_login(make_desk_editor())

    def test_one_message_for_a_headline_over_110_characters(self):
        draft = make_draft(headline=HEADLINE_OF_130)

        response = self.client.post(
            change_url(draft), article_form_data(draft, status="published")
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Zeichen lang", count=1)
        self.assertContains(
            response,
            "Die Überschrift ist 130 Zeichen lang; veröffentlicht werden können "
            "höchstens 110.",
        )
        self.assertNotContains(response, "Veröffentlichungszeitpunkt")
        draft.refresh_from_db()
        self.assertEqual(draft.status, ArticleStatus.DRAFT)

    def test_one_message_for_a_headline_too_long_to_store(self):
        draft = make_draft()

        response = self.client.post(
            change_url(draft),
            article_form_data(draft, status="published", headline="x" * 500),
        )

        self.assertContains(response, "Zeichen lang", count=1)
        self.assertContains(response, "Die Überschrift ist 500 Zeichen lang")
        self.assertNotContains(response, "Veröffentlichungszeitpunkt")


class TimesSetByTheDeskTests(TestCase):
    def test_a_journalist_sees_the_times_as_text_without_date_shortcuts(self):
        self.client.force_login(make_journalist())

        response = self.client.get(ADD_URL)

        self.assertIsNone(input_tag(response, "published_at_0"))
        self.assertIsNone(input_tag(response, "unpublish_at_0"))
        self.assertContains(
            response, "Noch offen – legt die Chefin oder der Chef vom Dienst fest."
        )

    def test_a_journalist_cannot_set_a_time_by_posting_one(self):
        journalist = make_journalist()
        self.client.force_login(journalist)
        draft = make_draft(created_by=journalist)
        data = article_form_data(draft)
        data["published_at_0"] = timezone.localtime().strftime("%d.%m.%Y")
        data["published_at_1"] = "12:00:00"

        self.client.post(change_url(draft), data)

        draft.refresh_from_db()
        self.assertIsNone(draft.published_at)

    def test_the_desk_still_sets_the_times(self):
        self.client.force_login(make_desk_editor())

        response = self.client.get(ADD_URL)

        self.assertIsNotNone(input_tag(response, "published_at_0"))


class CorrectionKindTests(TestCase):
    def setUp(self):
        self.client.force_login(make_desk_editor())
        self.article = make_article()

    def post_correction(self, kind):
        data = article_form_data(self.article)
        data.update(
            {
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": kind,
                "corrections-0-text": "Der Name des Ministers war falsch geschrieben.",
                "corrections-0-created_at_0": timezone.localtime().strftime("%d.%m.%Y"),
                "corrections-0-created_at_1": timezone.localtime().strftime("%H:%M:%S"),
            }
        )
        return self.client.post(change_url(self.article), data)

    def test_the_kind_is_offered_with_neither_chosen(self):
        response = self.client.get(change_url(self.article))

        choices = re.findall(
            r'<input[^>]*name="corrections-__prefix__-kind"[^>]*>',
            response.content.decode(),
        )
        self.assertEqual(len(choices), 2)
        self.assertFalse([choice for choice in choices if "checked" in choice])

    def test_a_correction_without_a_kind_is_refused_in_german(self):
        response = self.post_correction(kind="")

        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "Bitte wählen Sie, ob es eine Korrektur (ein Fehler wurde berichtigt) "
            "oder eine Aktualisierung (neue Entwicklungen) ist.",
        )
        self.assertFalse(Correction.objects.exists())

    def test_a_correction_chosen_as_such_is_published_as_a_correction(self):
        self.post_correction(kind="correction")

        page = self.client.get(self.article.get_absolute_url())
        self.assertContains(page, "Korrektur")
        self.assertEqual(Correction.objects.get().kind, "correction")

    def test_the_database_refuses_a_correction_without_a_kind(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Correction.objects.create(article=self.article, text="Ohne Art.")
