"""The desk publishes a reviewed article from the plan with one click."""

from articles.models import Article
from tests.browser.base import BrowserTestCase
from tests.factories import DESK_EDITOR, make_article, make_section, make_staff

PASSWORD = "Pressefreiheit-2026"


class PlanningInBrowserTests(BrowserTestCase):
    def test_the_desk_publishes_a_reviewed_article_with_one_click(self):
        make_staff(DESK_EDITOR, password=PASSWORD, username="cvd")
        article = make_article(
            section=make_section(name="Politik", slug="politik"),
            headline="Stadtrat beschließt den Haushalt",
            status="review",
            published_at=None,
        )
        desk = self.log_in("cvd", PASSWORD)

        desk.click("#desk-planning a:has-text('Planung')")
        row = desk.locator("#plan-review tr", has_text=article.headline)
        row.get_by_role("button", name="Jetzt veröffentlichen").click()

        self.assertEqual(
            desk.locator(".messagelist .success").inner_text(),
            "1 Artikel: veröffentlicht.",
        )
        self.assertEqual(desk.locator("#plan-review tbody tr").count(), 0)
        published = desk.locator("#plan-published tr", has_text=article.headline)
        self.assertEqual(
            published.locator(".article-state").inner_text(), "Veröffentlicht"
        )
        self.assertTrue(Article.objects.get(pk=article.pk).is_published)
