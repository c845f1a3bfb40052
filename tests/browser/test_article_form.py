"""A journalist types into the article form in chromium: the address makes
itself, the headline is counted and never cut, the desk's times stay the
desk's, and the desk chooses the kind of every correction."""

from articles.models import Article, ArticleStatus, Correction
from tests.browser.base import BrowserTestCase
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    make_article,
    make_section,
    make_staff,
)

PASSWORD = "Pressefreiheit-2026"
HEADLINE_OF_130 = "Lang " * 25 + "Satz!"


class ArticleFormInBrowserTests(BrowserTestCase):
    def setUp(self):
        make_staff(JOURNALIST, password=PASSWORD, username="jana")
        make_staff(DESK_EDITOR, password=PASSWORD, username="cvd")
        news = make_section(name="News", slug="news")
        self.politik = make_section(name="Politik", slug="politik", parent=news)

    def start_article(self, page, headline):
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        page.locator("#id_headline").press_sequentially(headline)
        page.fill("#id_lead", "Die Fraktionen legen drei Modelle vor.")
        page.select_option("#id_section", label="News › Politik")

    def save(self, page):
        page.click("input[name=_continue]")
        page.wait_for_load_state()

    def test_two_articles_with_the_same_headline_both_save(self):
        page = self.log_in("jana", PASSWORD)

        for _ in range(2):
            self.start_article(page, "Hitzewelle erreicht Berlin")
            self.assertEqual(page.input_value("#id_slug"), "")
            self.assertEqual(
                page.get_attribute("#id_slug", "placeholder"),
                "automatisch: hitzewelle-erreicht-berlin",
            )
            self.save(page)
            page.wait_for_selector(".messagelist .success")

        self.assertQuerySetEqual(
            Article.objects.order_by("pk").values_list("slug", flat=True),
            ["hitzewelle-erreicht-berlin", "hitzewelle-erreicht-berlin-2"],
        )
        self.assertIn(
            "/news/politik/hitzewelle-erreicht-berlin-2/",
            page.locator(".messagelist .info").inner_text(),
        )
        self.assertEqual(page.input_value("#id_slug"), "hitzewelle-erreicht-berlin-2")

    def test_a_typed_slug_that_is_taken_is_refused_with_a_suggestion(self):
        make_article(section=self.politik, headline="Schon da", slug="schon-da")
        page = self.log_in("jana", PASSWORD)
        self.start_article(page, "Noch einmal da")

        page.fill("#id_slug", "schon-da")
        self.save(page)

        self.assertIn(
            "Frei wäre zum Beispiel „schon-da-2“",
            page.locator(".field-slug .errorlist").inner_text(),
        )
        self.assertEqual(page.input_value("#id_headline"), "Noch einmal da")

    def test_the_headline_is_counted_warned_about_and_never_cut(self):
        page = self.log_in("jana", PASSWORD)
        self.start_article(page, "Stadtrat tagt")
        counter = page.locator("#id_headline_counter")
        self.assertEqual(counter.inner_text(), "13/110 Zeichen")
        self.assertEqual(
            page.locator("#id_lead_counter").inner_text(), "38/300 Zeichen"
        )

        page.fill("#id_headline", HEADLINE_OF_130)
        self.assertEqual(
            counter.inner_text(),
            "130/110 Zeichen – zu lang zum Veröffentlichen, bitte kürzen.",
        )
        pasted = "Stadtrat " * 55 + "beschließt"
        page.fill("#id_headline", pasted)
        self.assertEqual(len(page.input_value("#id_headline")), 505)
        self.assertEqual(
            counter.inner_text(),
            "505 Zeichen – zu lang zum Speichern: höchstens 200. Bitte kürzen.",
        )
        self.assertEqual(counter.get_attribute("data-state"), "error")

        self.save(page)
        self.assertIn(
            "Die Überschrift ist 505 Zeichen lang",
            page.locator(".field-headline .errorlist").inner_text(),
        )
        self.assertEqual(page.input_value("#id_headline"), pasted)
        self.assertFalse(Article.objects.exists())

        page.fill("#id_headline", HEADLINE_OF_130)
        page.select_option("#id_status", "review")
        self.save(page)
        self.assertIn(
            "Die Überschrift ist 130 Zeichen lang; veröffentlicht werden können "
            "höchstens 110.",
            page.locator(".messagelist .warning").inner_text(),
        )
        self.assertEqual(Article.objects.get().status, ArticleStatus.REVIEW)

    def test_the_desk_gets_one_message_when_publishing_an_overlong_headline(self):
        article = make_article(
            section=self.politik, headline=HEADLINE_OF_130, status="review"
        )
        page = self.log_in("cvd", PASSWORD)
        page.goto(f"{self.live_server_url}/admin/articles/article/{article.pk}/change/")

        page.select_option("#id_status", "published")
        page.fill("#id_published_at_0", "")
        page.fill("#id_published_at_1", "")
        self.save(page)

        errors = page.locator(".errorlist li").all_inner_texts()
        self.assertEqual(
            errors,
            [
                "Die Überschrift ist 130 Zeichen lang; veröffentlicht werden "
                "können höchstens 110."
            ],
        )

    def test_a_journalist_cannot_set_the_publication_time(self):
        page = self.log_in("jana", PASSWORD)
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")

        times = page.locator(".field-publication_time")
        self.assertIn(
            "legt die Chefin oder der Chef vom Dienst fest", times.inner_text()
        )
        self.assertEqual(times.locator("input, a").count(), 0)
        self.assertEqual(page.get_by_text("Heute", exact=True).count(), 0)
        self.assertEqual(page.get_by_text("Jetzt", exact=True).count(), 0)

    def test_the_desk_chooses_the_kind_of_a_correction(self):
        article = make_article(section=self.politik, headline="Minister tritt zurück")
        page = self.log_in("cvd", PASSWORD)
        page.goto(f"{self.live_server_url}/admin/articles/article/{article.pk}/change/")

        page.click("#corrections-group .add-row a")
        page.fill("#id_corrections-0-text", "Der Name des Ministers war falsch.")
        self.assertEqual(page.locator("#corrections-0 input:checked").count(), 0)
        self.save(page)
        self.assertIn(
            "Bitte wählen Sie, ob es eine Korrektur",
            page.locator("#corrections-0 .errorlist").inner_text(),
        )
        self.assertFalse(Correction.objects.exists())

        page.locator("#corrections-0").get_by_label("Korrektur", exact=True).check()
        self.save(page)
        page.wait_for_selector(".messagelist .success")
        self.assertEqual(Correction.objects.get().kind, "correction")
