"""The desk in chromium: share a preview, publish, correct, move, restore.
Nothing readers were told is lost, and every address keeps answering."""

from django.urls import reverse

from articles.models import Article, Correction
from tests.browser.base import BrowserTestCase
from tests.factories import DESK_EDITOR, make_draft, make_section, make_staff

PASSWORD = "Pressefreiheit-2026"
HEADLINE = "Stadtrat beschließt neuen Radweg"


class ShareCorrectRestoreInBrowserTests(BrowserTestCase):
    def setUp(self):
        make_staff(DESK_EDITOR, password=PASSWORD, username="cvd")
        politik = make_section(name="Politik", slug="politik")
        self.article = make_draft(section=politik, headline=HEADLINE, slug="radweg")
        self.first_path = self.article.get_absolute_url()
        self.change_url = f"{self.live_server_url}" + reverse(
            "admin:articles_article_change", args=[self.article.pk]
        )

    def save(self, desk):
        desk.click("input[name=_save]")
        desk.wait_for_selector(".messagelist .success")
        desk.goto(self.change_url)

    def test_a_restore_keeps_the_correction_and_every_address(self):
        desk = self.log_in("cvd", PASSWORD)
        desk.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=self.live_server_url
        )
        desk.goto(self.change_url)

        # One button makes the link, ready to copy.
        desk.click("text=Vorschau-Link erstellen")
        url_field = desk.locator("[data-share-preview-url]")
        url_field.wait_for()
        link = url_field.input_value()
        self.assertIn("/vorschau/", link)
        self.assertIn(
            "Vorschau-Link erstellt, gültig bis",
            desk.locator("[data-share-preview-message]").inner_text(),
        )
        desk.click("[data-share-preview-result] [data-copy-link]")
        self.assertEqual(desk.evaluate("navigator.clipboard.readText()"), link)
        outsider = self.new_page()
        outsider.goto(link)
        self.assertEqual(outsider.locator("h1").inner_text(), HEADLINE)
        self.assertIn(
            "Vorschau – nicht veröffentlicht",
            outsider.locator(".preview-banner").inner_text(),
        )

        # Publish, then correct.
        desk.select_option("#id_status", "published")
        self.save(desk)
        desk.click("#corrections-group .add-row a")
        desk.locator("#corrections-0").get_by_label("Korrektur", exact=True).check()
        desk.fill(
            "#id_corrections-0-text", "Der Radweg ist 2,4 und nicht 4,2 Kilometer lang."
        )
        self.save(desk)
        self.assertTrue(Correction.objects.filter(article=self.article).exists())

        # Move to a new address, then bring back the version before the move.
        desk.fill("#id_slug", "radweg-beschlossen")
        self.save(desk)
        moved_path = Article.objects.get(pk=self.article.pk).get_absolute_url()
        self.assertNotEqual(moved_path, self.first_path)
        desk.goto(
            f"{self.live_server_url}"
            + reverse("admin:articles_article_history", args=[self.article.pk])
        )
        desk.locator("#change-history tbody tr").nth(1).locator("a").first.click()
        self.assertEqual(desk.input_value("#id_slug"), "radweg")
        desk.click("input[name=_save]")
        desk.wait_for_selector(".messagelist .success")

        reader = self.open(self.first_path)
        self.assertEqual(reader.locator("h1").inner_text(), HEADLINE)
        self.assertIn(
            "Der Radweg ist 2,4 und nicht 4,2 Kilometer lang.", reader.content()
        )
        old_address = reader.request.get(
            f"{self.live_server_url}{moved_path}", max_redirects=0
        )
        self.assertEqual(old_address.status, 301)
        self.assertEqual(old_address.headers["location"], self.first_path)
        current = reader.request.get(
            f"{self.live_server_url}{self.first_path}", max_redirects=0
        )
        self.assertEqual(current.status, 200)
