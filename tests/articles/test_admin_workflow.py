"""The desk's work in the admin: publishing, scheduling and withdrawing,
edits that clash, versions and corrections, the lead image's upload and the
list's queries."""

import re
import uuid
from datetime import timedelta
from io import BytesIO
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles.models import Article, ArticleStatus, Correction
from tests.factories import (
    article_form_data,
    change_url,
    image_file,
    make_article,
    make_desk_editor,
    make_draft,
    make_section,
)


class DeskPublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.section = make_section()

    def setUp(self):
        self.client.force_login(self.desk)

    def test_publishing_an_incomplete_article_names_every_problem(self):
        article = make_draft(section=self.section, image=image_file())

        response = self.client.post(
            change_url(article), article_form_data(article, status="published", lead="")
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Dieses Feld ist zwingend erforderlich.")
        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.DRAFT)

    def test_missing_image_credit_blocks_publishing(self):
        article = make_draft(section=self.section, image=image_file(), image_alt="Bild")

        response = self.client.post(
            change_url(article), article_form_data(article, status="published")
        )

        self.assertContains(response, "Der Bildnachweis zum Aufmacherbild fehlt.")
        self.assertFalse(Article.objects.published().exists())

    def test_publishing_through_the_form_without_a_time_means_now(self):
        article = make_draft(section=self.section)

        response = self.client.post(
            change_url(article), article_form_data(article, status="published")
        )

        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertIs(article.is_published, True)

    def test_bulk_publish_publishes_the_ready_and_reports_the_rest(self):
        ready = make_draft(section=self.section)
        unready = make_draft(section=self.section, headline="y" * 120)

        response = self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [ready.pk, unready.pk]},
            follow=True,
        )

        self.assertQuerySetEqual(Article.objects.published(), [ready])
        self.assertContains(response, "1 Artikel: veröffentlicht.")
        self.assertContains(response, "veröffentlicht werden können höchstens 110")

    def test_bulk_withdraw(self):
        article = make_article(section=self.section)

        self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "withdraw", "_selected_action": [article.pk]},
        )

        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.WITHDRAWN)

    def test_an_action_racing_a_save_is_refused_with_a_message(self):
        article = make_article(section=self.section)
        withdraw = Article.withdraw

        def someone_saves_first(article):
            Article.objects.filter(pk=article.pk).update(edit_token=uuid.uuid4())
            withdraw(article)

        with mock.patch.object(Article, "withdraw", someone_saves_first):
            response = self.client.post(
                reverse("admin:articles_article_changelist"),
                {"action": "withdraw", "_selected_action": [article.pk]},
                follow=True,
            )

        self.assertContains(response, "gerade von jemand anderem geändert")
        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.PUBLISHED)

    def test_scheduling_through_the_form(self):
        article = make_draft(section=self.section)
        later = timezone.localtime() + timedelta(days=1)

        self.client.post(
            change_url(article),
            article_form_data(
                article,
                status="published",
                published_at_0=later.strftime("%d.%m.%Y"),
                published_at_1=later.strftime("%H:%M:%S"),
            ),
        )

        article.refresh_from_db()
        self.assertIs(article.is_scheduled, True)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)

    def test_list_shows_each_state_at_a_glance(self):
        make_draft(section=self.section)
        make_article(
            section=self.section, published_at=timezone.now() + timedelta(days=1)
        )
        make_article(section=self.section)

        response = self.client.get(reverse("admin:articles_article_changelist"))

        self.assertContains(response, "article-state--draft")
        self.assertContains(response, "article-state--scheduled")
        self.assertContains(response, "article-state--published")

    def test_list_filters_for_scheduled_and_mine(self):
        mine = make_draft(section=self.section, created_by=self.desk)
        scheduled = make_article(
            section=self.section, published_at=timezone.now() + timedelta(days=1)
        )
        url = reverse("admin:articles_article_changelist")

        self.assertQuerySetEqual(
            self.client.get(url, {"stand": "scheduled"}).context["cl"].result_list,
            [scheduled],
        )
        self.assertQuerySetEqual(
            self.client.get(url, {"von": "mir"}).context["cl"].result_list, [mine]
        )


class ConflictingEditsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first = make_desk_editor(username="erste")
        cls.second = make_desk_editor(username="zweite")

    def test_the_second_save_of_a_stale_form_is_refused_and_loses_nothing(self):
        article = make_article(headline="Ausgangslage")
        stale_form = article_form_data(article, headline="Zweite Sicht")
        self.client.force_login(self.first)
        self.client.post(
            change_url(article), article_form_data(article, headline="Erste Sicht")
        )

        self.client.force_login(self.second)
        response = self.client.post(change_url(article), stale_form)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nicht gespeichert: erste hat diesen Artikel")
        # "Änderungen ansehen": the diff since the version this form started from.
        self.assertContains(
            response,
            reverse("admin:articles_article_changes", args=[article.pk])
            + f"?seit={stale_form['loaded_edit_token']}",
        )
        self.assertContains(response, 'value="Zweite Sicht"')
        article.refresh_from_db()
        self.assertEqual(article.headline, "Erste Sicht")

    def test_a_fresh_form_after_the_conflict_saves(self):
        article = make_article(headline="Ausgangslage")
        self.client.force_login(self.first)
        article.headline = "Zwischendurch"
        article.save()

        article.refresh_from_db()
        response = self.client.post(
            change_url(article), article_form_data(article, headline="Neu")
        )

        self.assertEqual(response.status_code, 302)


class RevisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()

    def setUp(self):
        self.client.force_login(self.desk)
        self.article = make_draft(headline="Fassung eins", tags=["Alt"])
        self.client.post(change_url(self.article), article_form_data(self.article))
        self.article.refresh_from_db()
        self.client.post(
            change_url(self.article),
            article_form_data(self.article, headline="Fassung zwei", tags="Neu"),
        )
        self.article.refresh_from_db()

    def test_every_save_keeps_a_version_with_who_and_when(self):
        versions = Version.objects.get_for_object(self.article)

        self.assertEqual(versions.count(), 2)
        self.assertEqual(versions.first().revision.user, self.desk)
        self.assertEqual(versions.first().field_dict["headline"], "Fassung zwei")

    def test_history_page_lists_the_versions(self):
        response = self.client.get(
            reverse("admin:articles_article_history", args=[self.article.pk])
        )

        self.assertEqual(response.status_code, 200)
        for version in Version.objects.get_for_object(self.article):
            self.assertContains(response, f"/history/{version.pk}/")
        self.assertContains(response, "Überschrift und Schlagwörter geändert.")

    def test_two_versions_can_be_compared(self):
        newer, older = Version.objects.get_for_object(self.article)[:2]

        response = self.client.get(
            reverse("admin:articles_article_compare", args=[self.article.pk]),
            {"version_id1": older.pk, "version_id2": newer.pk},
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Fassung eins")
        self.assertContains(response, "Fassung zwei")

    def test_an_older_version_can_be_restored(self):
        older = Version.objects.get_for_object(self.article)[1]
        url = reverse(
            "admin:articles_article_revision", args=[self.article.pk, older.pk]
        )
        restored = self.client.get(url)
        data = article_form_data(self.article, headline="Fassung eins", tags="Alt")
        data["loaded_edit_token"] = re.search(
            r'name="loaded_edit_token" value="([^"]+)"', restored.content.decode()
        ).group(1)

        response = self.client.post(url, data)

        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Fassung eins")
        self.assertEqual(list(self.article.tags.names()), ["Alt"])

    def test_a_deleted_article_can_be_recovered(self):
        pk = self.article.pk
        self.client.post(
            reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"}
        )
        self.assertFalse(Article.objects.filter(pk=pk).exists())
        deleted = Version.objects.get_deleted(Article).first()
        url = reverse("admin:articles_article_recover", args=[deleted.pk])
        form = self.client.get(url).content.decode()
        token = re.search(r'name="loaded_edit_token" value="([^"]+)"', form).group(1)

        self.client.post(
            url,
            article_form_data(
                headline="Fassung zwei",
                section=self.article.section_id,
                loaded_edit_token=token,
            ),
        )

        self.assertTrue(Article.objects.filter(pk=pk, headline="Fassung zwei").exists())


class CorrectionTests(TestCase):
    def test_corrections_are_offered_to_the_desk_on_published_articles_only(self):
        self.client.force_login(make_desk_editor())

        published = self.client.get(change_url(make_article()))
        draft = self.client.get(change_url(make_draft()))

        self.assertContains(published, "corrections-TOTAL_FORMS")
        self.assertNotContains(draft, "corrections-TOTAL_FORMS")

    def test_a_correction_is_added_deliberately_and_shown_to_readers(self):
        desk = make_desk_editor()
        self.client.force_login(desk)
        article = make_article()
        data = article_form_data(article)
        data.update(
            {
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "Der Name des Ministers war falsch geschrieben.",
                "corrections-0-created_at_0": timezone.localtime().strftime("%d.%m.%Y"),
                "corrections-0-created_at_1": timezone.localtime().strftime("%H:%M:%S"),
            }
        )

        self.client.post(change_url(article), data)

        self.assertEqual(Correction.objects.get().created_by, desk)
        page = self.client.get(article.get_absolute_url())
        self.assertContains(page, "Der Name des Ministers war falsch geschrieben.")
        self.assertContains(page, "Aktualisiert")


class ImageUploadTests(TestCase):
    """Every bad upload gets a German error, and nothing is saved."""

    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.section = make_section()

    def upload(self, file):
        self.client.force_login(self.desk)
        return self.client.post(
            reverse("admin:articles_article_add"),
            article_form_data(section=self.section.pk, image=file),
        )

    def assert_refused(self, file, message):
        response = self.upload(file)

        self.assertEqual(response.status_code, 200)
        self.assertIn(
            message, " ".join(response.context["adminform"].form.errors["image"])
        )
        self.assertFalse(Article.objects.exists())

    def test_a_text_file_named_like_an_image(self):
        self.assert_refused(
            SimpleUploadedFile("foto.jpg", b"Kein Bild, nur Text."),
            "Bitte ein gültiges Bild hochladen.",
        )

    def test_a_truncated_image(self):
        whole = image_file().read()

        self.assert_refused(
            SimpleUploadedFile("abgeschnitten.jpg", whole[: len(whole) // 2]),
            "Bild hochladen",
        )

    def test_a_decompression_bomb(self):
        buffer = BytesIO()
        Image.new("1", (12_000, 12_000)).save(buffer, "PNG")

        self.assert_refused(
            SimpleUploadedFile("bombe.png", buffer.getvalue()), "Megapixel"
        )

    def test_an_oversized_file(self):
        big = SimpleUploadedFile(
            "riesig.jpg", image_file().read() + b"\0" * (16 * 1024 * 1024)
        )

        self.assert_refused(big, "erlaubt sind höchstens 15")

    def test_an_image_narrower_than_1200_pixels(self):
        self.assert_refused(
            image_file(size=(800, 600)),
            "Aufmacherbilder brauchen mindestens 1200 Pixel",
        )

    def test_the_camera_orientation_is_applied_once(self):
        # Stored sideways, 900 × 1600, with "turn 90°" in its EXIF data.
        response = self.upload(image_file(size=(900, 1600), orientation=6))

        self.assertEqual(response.status_code, 302)
        article = Article.objects.get()
        self.assertEqual((article.image_width, article.image_height), (1600, 900))
        with article.image.open("rb") as file, Image.open(file) as image:
            self.assertNotIn(0x0112, image.getexif())

    def test_a_good_image_is_stored_upright_without_location_data(self):
        response = self.upload(image_file(exif_gps=True))

        self.assertEqual(response.status_code, 302)
        article = Article.objects.get()
        with article.image.open("rb") as file, Image.open(file) as image:
            self.assertNotIn(0x8825, image.getexif())


class AdminQueryCountTests(TestCase):
    def test_change_list_with_100_articles_runs_a_fixed_number_of_queries(self):
        self.client.force_login(make_desk_editor())
        section = make_section()
        for _ in range(5):
            make_article(section=section)
        url = reverse("admin:articles_article_changelist")

        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for _ in range(95):
            make_article(section=section)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)

        self.assertEqual(len(few), len(many))
