"""A draft seen before it goes online: by the newsroom on the article's own
template, and by anyone through a shared preview link made in the admin."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import PreviewLink
from tests.factories import (
    article_form_data,
    change_url,
    make_desk_editor,
    make_draft,
    make_journalist,
)


class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.draft = make_draft(headline="Noch geheim")

    def test_staff_see_a_draft_on_the_article_template_marked_as_preview(self):
        self.client.force_login(make_journalist())

        response = self.client.get(
            reverse("articles:article_preview", args=[self.draft.pk])
        )

        self.assertContains(response, "Noch geheim")
        self.assertContains(response, "Vorschau – nicht veröffentlicht")
        self.assertContains(
            response, '<meta name="robots" content="noindex, nofollow">'
        )
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        self.assertIn("no-store", response["Cache-Control"])

    def test_readers_are_sent_to_the_login_instead(self):
        response = self.client.get(
            reverse("articles:article_preview", args=[self.draft.pk])
        )

        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])

    def test_a_shared_link_opens_for_anyone(self):
        link = PreviewLink.objects.create(article=self.draft)

        response = self.client.get(link.get_absolute_url())

        self.assertContains(response, "Noch geheim")
        self.assertContains(response, "Vorschau – nicht veröffentlicht")
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")

    def test_a_revoked_link_stops_working(self):
        link = PreviewLink.objects.create(article=self.draft, revoked_at=timezone.now())

        self.assertEqual(self.client.get(link.get_absolute_url()).status_code, 404)

    def test_an_expired_link_stops_working(self):
        link = PreviewLink.objects.create(
            article=self.draft, expires_at=timezone.now() - timedelta(seconds=1)
        )

        self.assertEqual(self.client.get(link.get_absolute_url()).status_code, 404)

    def test_a_link_lasts_48_hours_by_default(self):
        link = PreviewLink.objects.create(article=self.draft)

        self.assertAlmostEqual(
            link.expires_at - timezone.now(),
            timedelta(hours=48),
            delta=timedelta(minutes=1),
        )

    def test_a_tampered_token_is_not_found(self):
        link = PreviewLink.objects.create(article=self.draft)
        url = link.get_absolute_url()

        for bad in (
            url.replace(":", ";"),
            url[:-3] + "xx/",
            reverse("articles:shared_preview", kwargs={"token": "1"}),
        ):
            with self.subTest(url=bad):
                self.assertEqual(self.client.get(bad).status_code, 404)


class PreviewLinkButtonTests(TestCase):
    """A preview link is made by one button, at once, and shown ready to copy."""

    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.draft = make_draft(headline="Noch geheim")

    def setUp(self):
        self.client.force_login(self.desk)
        self.url = reverse("admin:articles_article_share_preview", args=[self.draft.pk])

    def test_the_article_page_offers_the_button(self):
        page = self.client.get(change_url(self.draft))

        self.assertContains(page, "Vorschau-Link erstellen")
        self.assertContains(page, f'data-share-preview="{self.url}"')
        self.assertContains(page, "articles/admin/preview_links.")

    def test_the_button_makes_a_link_that_opens_for_anyone(self):
        response = self.client.post(self.url, HTTP_ACCEPT="application/json")

        link = PreviewLink.objects.get()
        self.assertEqual(link.article, self.draft)
        self.assertEqual(link.created_by, self.desk)
        shown = response.json()
        self.assertEqual(shown["url"], f"http://testserver{link.get_absolute_url()}")
        expires_at = timezone.localtime(link.expires_at)
        self.assertEqual(
            shown["message"],
            f"Vorschau-Link erstellt, gültig bis {expires_at:%d.%m.%Y, %H:%M} Uhr.",
        )
        self.client.logout()
        self.assertContains(self.client.get(shown["url"]), "Noch geheim")

    def test_each_press_makes_a_new_link(self):
        for _ in range(2):
            self.client.post(self.url, HTTP_ACCEPT="application/json")

        self.assertEqual(PreviewLink.objects.count(), 2)

    def test_without_script_the_link_is_shown_on_the_article_page(self):
        response = self.client.post(self.url, follow=True)

        link = PreviewLink.objects.get()
        self.assertRedirects(response, change_url(self.draft))
        self.assertContains(response, "Vorschau-Link erstellt, gültig bis")
        self.assertContains(response, f"http://testserver{link.get_absolute_url()}")

    def test_the_link_appears_in_the_article_history(self):
        self.client.post(self.url, HTTP_ACCEPT="application/json")

        history = self.client.get(
            reverse("admin:articles_article_history", args=[self.draft.pk])
        )
        self.assertContains(history, "Vorschau-Link erstellt, gültig bis")
        newest = Version.objects.get_for_object(self.draft).first()
        self.assertEqual(newest.revision.user, self.desk)

    def test_existing_links_are_listed_ready_to_copy_with_their_expiry(self):
        link = PreviewLink.objects.create(article=self.draft)

        page = self.client.get(change_url(self.draft))

        url = f"http://testserver{link.get_absolute_url()}"
        self.assertContains(page, f'readonly value="{url}"')
        self.assertContains(page, "Kopieren")
        self.assertContains(page, "preview_links-0-expires_at")

    def test_a_link_is_revoked_in_the_article_form(self):
        link = PreviewLink.objects.create(article=self.draft)
        expires_at = timezone.localtime(link.expires_at)
        data = article_form_data(self.draft)
        data.update(
            {
                "preview_links-TOTAL_FORMS": "1",
                "preview_links-INITIAL_FORMS": "1",
                "preview_links-0-id": link.pk,
                "preview_links-0-article": self.draft.pk,
                "preview_links-0-expires_at_0": expires_at.strftime("%d.%m.%Y"),
                "preview_links-0-expires_at_1": expires_at.strftime("%H:%M:%S"),
                "preview_links-0-revoke": "on",
            }
        )

        self.client.post(change_url(self.draft), data)

        link.refresh_from_db()
        self.assertIsNotNone(link.revoked_at)
        self.assertEqual(self.client.get(link.get_absolute_url()).status_code, 404)

    def test_the_form_offers_no_empty_row_that_would_be_dropped(self):
        page = self.client.get(change_url(self.draft))

        self.assertNotContains(page, "preview_links-__prefix__")

    def test_only_a_post_makes_a_link(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)
        self.assertFalse(PreviewLink.objects.exists())
