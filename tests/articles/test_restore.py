"""Restoring an older version brings back the article's text and fields, and
nothing else changes for readers: corrections stay, every address answers."""

from importlib import import_module

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.http import HttpResponseNotFound
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.middleware import ArticleRedirectFallbackMiddleware
from articles.models import ArticleRedirect, Correction, CorrectionKind
from tests.factories import (
    article_form_data,
    change_url,
    make_article,
    make_desk_editor,
    make_section,
)


class DeskMixin:
    """The desk at work in the admin, and a reader without an account."""

    def setUp(self):
        self.desk = make_desk_editor()
        self.client.force_login(self.desk)
        self.reader = Client()

    def save(self, article, **changes):
        """Save the article form with `changes`; the version it made."""
        article.refresh_from_db()
        response = self.client.post(
            change_url(article), article_form_data(article, **changes)
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        article.refresh_from_db()
        return Version.objects.get_for_object(article).first()

    def correct(self, article, text, kind=CorrectionKind.CORRECTION):
        now = timezone.localtime()
        return self.save(
            article,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": kind,
                "corrections-0-text": text,
                "corrections-0-created_at_0": now.strftime("%d.%m.%Y"),
                "corrections-0-created_at_1": now.strftime("%H:%M:%S"),
            },
        )

    def restore(self, article, version):
        """Open the older version and save it, as the history page offers."""
        url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
        form = self.client.get(url).context["adminform"].form
        data = article_form_data(
            form.instance, tags=", ".join(tag.name for tag in form.initial["tags"])
        )
        existing = list(article.corrections.all())
        data.update(
            {
                "corrections-TOTAL_FORMS": str(len(existing)),
                "corrections-INITIAL_FORMS": str(len(existing)),
            }
        )
        for number, correction in enumerate(existing):
            created_at = timezone.localtime(correction.created_at)
            data.update(
                {
                    f"corrections-{number}-id": correction.pk,
                    f"corrections-{number}-article": article.pk,
                    f"corrections-{number}-kind": correction.kind,
                    f"corrections-{number}-text": correction.text,
                    f"corrections-{number}-created_at_0": created_at.strftime(
                        "%d.%m.%Y"
                    ),
                    f"corrections-{number}-created_at_1": created_at.strftime(
                        "%H:%M:%S"
                    ),
                }
            )

        response = self.client.post(url, data)

        self.assertEqual(response.status_code, 302, response.content[:3000])
        article.refresh_from_db()

    def assert_current(self, path, headline):
        response = self.reader.get(path)
        self.assertContains(response, headline)

    def assert_redirects_to(self, old_path, current_path):
        response = self.reader.get(old_path)
        self.assertRedirects(
            response, current_path, status_code=301, fetch_redirect_response=False
        )
        self.assertEqual(self.reader.get(current_path).status_code, 200)


class RestoreKeepsCorrectionsTests(DeskMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.article = make_article(headline="Brücke gesperrt")
        self.first = self.save(self.article)

    def test_restoring_an_older_version_keeps_a_correction_added_since(self):
        self.correct(self.article, "Die Brücke ist nur nachts gesperrt.")
        self.save(self.article, headline="Brücke nachts gesperrt")

        self.restore(self.article, self.first)

        self.assertEqual(self.article.headline, "Brücke gesperrt")
        page = self.reader.get(self.article.get_absolute_url())
        self.assertContains(page, "Brücke gesperrt")
        self.assertContains(page, "Die Brücke ist nur nachts gesperrt.")

    def test_restoring_the_version_with_a_correction_keeps_the_later_ones(self):
        with_first = self.correct(self.article, "Erste Korrektur.")
        self.correct(self.article, "Zweite Korrektur.", CorrectionKind.UPDATE)

        self.restore(self.article, with_first)

        self.assertQuerySetEqual(
            self.article.corrections.values_list("text", flat=True),
            ["Erste Korrektur.", "Zweite Korrektur."],
        )

    def test_a_correction_deleted_since_does_not_come_back(self):
        with_correction = self.correct(self.article, "Versehentlich eingetragen.")
        correction = Correction.objects.get()
        self.save(
            self.article,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-INITIAL_FORMS": "1",
                "corrections-0-id": correction.pk,
                "corrections-0-article": self.article.pk,
                "corrections-0-kind": correction.kind,
                "corrections-0-text": correction.text,
                "corrections-0-created_at_0": "01.01.2026",
                "corrections-0-created_at_1": "12:00:00",
                "corrections-0-DELETE": "on",
            },
        )
        self.assertFalse(Correction.objects.exists())

        self.restore(self.article, with_correction)

        self.assertFalse(Correction.objects.exists())

    def test_the_restore_appears_in_the_history(self):
        self.save(self.article, headline="Brücke wieder offen")
        restored_from = timezone.localtime(self.first.revision.date_created)

        self.restore(self.article, self.first)

        history = self.client.get(
            reverse("admin:articles_article_history", args=[self.article.pk])
        )
        self.assertContains(
            history,
            f"Version vom {restored_from:%d.%m.%Y, %H:%M} Uhr wiederhergestellt",
        )
        newest = Version.objects.get_for_object(self.article).first()
        self.assertEqual(newest.revision.user, self.desk)

    def test_a_refused_restore_changes_nothing(self):
        self.save(self.article, slug="neue-adresse")
        url = reverse(
            "admin:articles_article_revision", args=[self.article.pk, self.first.pk]
        )
        data = article_form_data(self.article, headline="", loaded_edit_token="")

        response = self.client.post(url, data)

        self.assertEqual(response.status_code, 200)
        self.article.refresh_from_db()
        self.assertEqual(self.article.slug, "neue-adresse")
        self.assertQuerySetEqual(
            ArticleRedirect.objects.values_list("old_path", flat=True),
            [self.first_path()],
        )

    def first_path(self):
        section_path = self.article.section.path
        return reverse(
            "articles:article_detail",
            kwargs={
                "section_path": section_path,
                "slug": self.first.field_dict["slug"],
            },
        )


class RestoreKeepsEveryAddressTests(DeskMixin, TestCase):
    """The current address answers 200, every earlier one 301 to it."""

    def setUp(self):
        super().setUp()
        self.politik = make_section(name="Politik", slug="politik")
        self.sport = make_section(name="Sport", slug="sport")
        self.article = make_article(
            section=self.politik, headline="Stadtrat tagt", slug="a"
        )

    def path(self, slug, section=None):
        section = section or self.politik
        return reverse(
            "articles:article_detail",
            kwargs={"section_path": section.path, "slug": slug},
        )

    def assert_addresses(self, current, *earlier):
        self.assert_current(current, "Stadtrat tagt")
        for old_path in earlier:
            with self.subTest(old_path=old_path):
                self.assert_redirects_to(old_path, current)
        # No redirect names the address the article answers at itself.
        self.assertFalse(ArticleRedirect.objects.filter(old_path=current).exists())

    def test_restoring_the_first_slug_keeps_the_second_answering(self):
        version_a = self.save(self.article)
        self.save(self.article, slug="b")

        self.restore(self.article, version_a)

        self.assert_addresses(self.path("a"), self.path("b"))

    def test_restoring_back_and_forth_keeps_all_three_answering(self):
        version_a = self.save(self.article)
        self.save(self.article, slug="b")
        version_c = self.save(self.article, slug="c")

        self.restore(self.article, version_a)
        self.assert_addresses(self.path("a"), self.path("b"), self.path("c"))

        self.restore(self.article, version_c)
        self.assert_addresses(self.path("c"), self.path("a"), self.path("b"))

    def test_changing_the_slug_back_by_hand_answers_at_the_first_address(self):
        self.save(self.article)
        self.save(self.article, slug="b")

        self.save(self.article, slug="a")

        self.assert_addresses(self.path("a"), self.path("b"))

    def test_restoring_the_earlier_section_keeps_the_later_one_answering(self):
        in_politik = self.save(self.article)
        self.save(self.article, section=self.sport.pk)

        self.restore(self.article, in_politik)

        self.assert_addresses(self.path("a"), self.path("a", self.sport))

    def test_a_restore_after_the_section_was_renamed_keeps_every_address(self):
        version_a = self.save(self.article)
        self.save(self.article, slug="b")
        self.politik.slug = "politik-und-wirtschaft"
        self.politik.save()

        self.restore(self.article, version_a)

        self.politik.refresh_from_db()
        before_renaming = [
            reverse(
                "articles:article_detail",
                kwargs={"section_path": "politik", "slug": slug},
            )
            for slug in ("a", "b")
        ]
        self.assert_addresses(self.path("a"), self.path("b"), *before_renaming)

    def test_both_addresses_are_right_with_the_page_cache_in_use(self):
        version_a = self.save(self.article)
        self.save(self.article, slug="b")
        for _ in range(2):
            self.reader.get(self.path("a"))
            cached = self.reader.get(self.path("b"))
        self.assertEqual(cached["X-Cache"], "HIT")

        self.restore(self.article, version_a)

        self.assert_addresses(self.path("a"), self.path("b"))
        again = self.reader.get(self.path("a"))
        self.assertEqual(again["X-Cache"], "HIT")
        self.assertContains(again, "Stadtrat tagt")


class StoredCorrectionVersionsTests(DeskMixin, TestCase):
    """Versions stored while corrections were still part of them."""

    def test_are_forgotten_so_an_old_version_restores_without_touching_them(self):
        article = make_article(headline="Vor der Korrektur")
        old_version = self.save(article)
        correction = Correction.objects.create(
            article=article, kind=CorrectionKind.CORRECTION, text="Alte Fassung."
        )
        Version.objects.create(
            revision=old_version.revision,
            object_id=str(correction.pk),
            content_type=ContentType.objects.get_for_model(Correction),
            db="default",
            format="json",
            serialized_data=serializers.serialize("json", [correction]),
            object_repr=str(correction),
        )
        Correction.objects.filter(pk=correction.pk).update(text="Neue Fassung.")
        migration = import_module(
            "articles.migrations.0012_corrections_leave_article_versions"
        )

        migration.forget_stored_corrections(apps, schema_editor=None)
        self.save(article, headline="Nach der Korrektur")
        self.restore(article, old_version)

        self.assertEqual(article.headline, "Vor der Korrektur")
        self.assertQuerySetEqual(
            Correction.objects.values_list("text", flat=True), ["Neue Fassung."]
        )


class RedirectFallbackTests(TestCase):
    def test_a_redirect_to_the_very_address_asked_for_is_not_followed(self):
        article = make_article()
        path = article.get_absolute_url()
        ArticleRedirect.objects.create(old_path=path, article=article)
        request = RequestFactory().get(path)
        not_there = ArticleRedirectFallbackMiddleware(
            lambda request: HttpResponseNotFound()
        )

        self.assertEqual(not_there(request).status_code, 404)
