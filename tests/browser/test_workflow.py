"""The newsroom's day in the admin, in chromium: write, review, publish, preview."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, ArticleStatus, PreviewLink
from tests.browser.base import BrowserTestCase
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    image_file,
    make_article,
    make_draft,
    make_section,
    make_staff,
)

PASSWORD = "Pressefreiheit-2026"


class EditorialWorkflowInBrowserTests(BrowserTestCase):
    def setUp(self):
        self.journalist = make_staff(JOURNALIST, password=PASSWORD, username="jana")
        self.desk = make_staff(DESK_EDITOR, password=PASSWORD, username="cvd")
        news = make_section(name="News", slug="news")
        self.politik = make_section(name="Politik", slug="politik", parent=news)
        self.background = make_article(
            section=self.politik, headline="Die Vorgeschichte des Haushaltsstreits"
        )

    def test_journalist_writes_desk_publishes_reader_reads(self):
        page = self.log_in("jana", PASSWORD)
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        page.fill("#id_kicker", "Haushalt 2027")
        # Typed key by key: the address it will give shows as it is typed,
        # and the server makes it when the article is saved.
        page.locator("#id_headline").press_sequentially(
            "Stadtrat ringt um die Schuldenbremse"
        )
        self.assertEqual(
            page.get_attribute("#id_slug", "placeholder"),
            "automatisch: stadtrat-ringt-um-die-schuldenbremse",
        )
        page.fill("#id_lead", "Die Fraktionen legen drei Modelle vor.")
        editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
        editor.click()
        page.keyboard.type("Am Dienstag beginnen die Beratungen.")
        page.keyboard.press("Enter")
        page.keyboard.press("Control+Alt+2")
        page.keyboard.type("Drei Modelle")
        page.keyboard.press("Enter")
        page.keyboard.type("Das erste Modell setzt auf Einsparungen.")
        page.keyboard.press("Enter")
        page.keyboard.type("Das zweite auf neue Einnahmen.")
        page.select_option("#id_section", label="News › Politik")
        page.fill("#id_tags", "Haushalt, Schuldenbremse, Bürgerhaushalt")
        upload = image_file()
        page.set_input_files(
            "#id_image",
            {"name": "rathaus.jpg", "mimeType": "image/jpeg", "buffer": upload.read()},
        )
        page.fill("#id_image_alt", "Das Rathaus im Abendlicht")
        page.fill("#id_image_credit", "Newsroom/Jana Test")
        page.click("#topic_boxes-group .add-row a")
        self.choose_autocomplete(page, "#id_topic_boxes-0-target", "Vorgeschichte")
        page.fill("#id_topic_boxes-0-after_paragraph", "1")
        self.assertEqual(
            page.locator("#id_status option").all_inner_texts(),
            ["Entwurf", "In Prüfung"],
        )
        page.select_option("#id_status", "review")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")

        article = Article.objects.get(headline="Stadtrat ringt um die Schuldenbremse")
        self.assertEqual(article.status, ArticleStatus.REVIEW)
        self.assertIn("<h2>Drei Modelle</h2>", article.body)

        desk = self.log_in("cvd", PASSWORD)
        desk.goto(f"{self.live_server_url}/admin/articles/article/{article.pk}/change/")
        desk.select_option("#id_status", "published")
        desk.click("input[name=_save]")
        desk.wait_for_selector(".messagelist .success")

        reader = self.open(Article.objects.get(pk=article.pk).get_absolute_url())
        self.assertEqual(
            reader.locator("h1").inner_text(), "Stadtrat ringt um die Schuldenbremse"
        )
        self.assertEqual(
            reader.locator(".article__body h2").inner_text(), "Drei Modelle"
        )
        self.assertIn(
            "Die Vorgeschichte des Haushaltsstreits",
            reader.locator(".topic-box").inner_text(),
        )
        self.assertIn(
            "Foto: Newsroom/Jana Test", reader.locator("figcaption").inner_text()
        )
        self.assertEqual(
            reader.locator("ul.tags a").all_inner_texts(),
            ["Bürgerhaushalt", "Haushalt", "Schuldenbremse"],
        )

    def test_a_second_editors_stale_save_is_refused(self):
        second_desk = make_staff(DESK_EDITOR, password=PASSWORD, username="nachtdienst")
        article = make_draft(section=self.politik, headline="Erste Fassung")
        url = f"{self.live_server_url}/admin/articles/article/{article.pk}/change/"
        first = self.log_in("cvd", PASSWORD)
        second = self.log_in(second_desk.username, PASSWORD)
        first.goto(url)
        second.goto(url)

        first.fill("#id_headline", "Fassung der Frühschicht")
        first.click("input[name=_save]")
        first.wait_for_selector(".messagelist .success")
        second.fill("#id_headline", "Fassung der Nachtschicht")
        second.click("input[name=_save]")

        error = second.locator(".errornote, .errorlist.nonfield").first
        error.wait_for()
        self.assertIn("Nicht gespeichert: cvd hat diesen Artikel", second.content())
        self.assertEqual(second.input_value("#id_headline"), "Fassung der Nachtschicht")
        self.assertEqual(
            Article.objects.get(pk=article.pk).headline, "Fassung der Frühschicht"
        )

    def test_shared_preview_opens_for_anyone_until_revoked_or_expired(self):
        draft = make_draft(
            section=self.politik, headline="Exklusiv: Der neue Haushaltsplan"
        )
        link = PreviewLink.objects.create(article=draft)
        expired = PreviewLink.objects.create(
            article=draft, expires_at=timezone.now() - timedelta(minutes=1)
        )

        visitor = self.open(link.get_absolute_url())
        self.assertEqual(visitor.locator("h1").inner_text(), draft.headline)
        self.assertIn(
            "Vorschau – nicht veröffentlicht",
            visitor.locator(".preview-banner").inner_text(),
        )
        self.assertEqual(
            visitor.locator("meta[name=robots]").get_attribute("content"),
            "noindex, nofollow",
        )

        desk = self.log_in("cvd", PASSWORD)
        desk.goto(f"{self.live_server_url}/admin/articles/article/{draft.pk}/change/")
        row = desk.locator(f"tr:has(a[href$='{link.get_absolute_url()}'])")
        row.locator("input[name$='-revoke']").check()
        desk.click("input[name=_save]")
        desk.wait_for_selector(".messagelist .success")

        response = visitor.goto(f"{self.live_server_url}{link.get_absolute_url()}")
        self.assertEqual(response.status, 404)
        response = visitor.goto(f"{self.live_server_url}{expired.get_absolute_url()}")
        self.assertEqual(response.status, 404)


WORD_CLIPBOARD = (
    "<p class=MsoNormal style='margin:0cm;font-family:Calibri'><span lang=DE>"
    "Absatz aus Word</span><o:p></o:p></p>"
    "<table><tr><td>Zelle</td></tr></table>"
    "<img src='file:///C:/Users/redaktion/bild.png'>"
    "<script>alert('x')</script>"
    "<p><font color=red>rot</font> <b>fett</b> <i>kursiv</i>"
    " <a href='javascript:alert(1)'>Falle</a></p>"
)


class PastingInBrowserTests(BrowserTestCase):
    def test_text_pasted_from_word_arrives_clean(self):
        make_staff(JOURNALIST, password=PASSWORD, username="jana")
        make_section(name="Politik", slug="politik")
        page = self.log_in("jana", PASSWORD)
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        page.fill("#id_headline", "Aus der Zwischenablage")
        page.fill("#id_lead", "Ein Test.")
        page.select_option("#id_section", label="Politik")
        editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
        editor.click()

        editor.evaluate(
            """(element, html) => {
                const data = new DataTransfer();
                data.setData('text/html', html);
                data.setData('text/plain', 'Absatz aus Word');
                element.dispatchEvent(new ClipboardEvent('paste', {
                    clipboardData: data, bubbles: true, cancelable: true,
                }));
            }""",
            WORD_CLIPBOARD,
        )
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")

        body = Article.objects.get().body
        self.assertIn("Absatz aus Word", body)
        self.assertIn("<strong>fett</strong>", body)
        self.assertIn("<em>kursiv</em>", body)
        for leftover in (
            "style",
            "class",
            "span",
            "font",
            "img",
            "table",
            "script",
            "javascript",
        ):
            self.assertNotIn(leftover, body)
