"""A journalist writes into the article form in chromium and sees the article
as it will stand: the "Mehr zum Thema" box and the inline ad between the
paragraphs, a subheading by one click, the section by its full path, and the
crops of the lead image following the focal point."""

import re

from playwright.sync_api import expect

from articles.models import Article
from tests.browser.base import BrowserTestCase, caret_at_end
from tests.factories import (
    JOURNALIST,
    image_file,
    make_article,
    make_draft,
    make_section,
    make_staff,
    make_topic_box,
)

PASSWORD = "Pressefreiheit-2026"


class ArticleEditorInBrowserTests(BrowserTestCase):
    def setUp(self):
        jana = make_staff(JOURNALIST, password=PASSWORD, username="jana")
        news = make_section(name="News", slug="news")
        make_section(name="Politik", slug="politik", parent=news)
        lokales = make_section(name="Lokales", slug="lokales")
        self.lokalpolitik = make_section(name="Politik", slug="politik", parent=lokales)
        self.article = make_draft(
            section=self.lokalpolitik,
            headline="Stadtrat streitet über Radwege",
            body="<p>Der Stadtrat hat am Dienstag lange beraten.</p>",
            image=image_file(size=(1600, 900)),
            created_by=jana,
        )
        background = make_article(headline="Was bisher geschah")
        make_topic_box(self.article, background, after_paragraph=2)

    def outline(self, page):
        return page.locator(".body-layout__parts li").all_inner_texts()

    def label_after(self, page, paragraph):
        return page.locator(
            f".field-body .ProseMirror > p:nth-of-type({paragraph})"
        ).evaluate("p => getComputedStyle(p, '::after').content")

    def test_box_marker_subheading_section_path_and_crops(self):
        page = self.log_in("jana", PASSWORD)
        page.goto(
            f"{self.live_server_url}/admin/articles/article/{self.article.pk}/change/"
        )
        box = "Mehr zum Thema: Was bisher geschah"
        # One paragraph so far: the box, meant after the second, waits at the end.
        page.wait_for_selector(".body-layout__box")
        self.assertEqual(self.outline(page)[-1], box)

        editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
        caret_at_end(editor)
        for sentence in ["Die Opposition ist dagegen.", "Am Ende wird vertagt."]:
            page.keyboard.press("Enter")
            page.keyboard.type(sentence)
        expect(page.locator(".body-layout__summary")).to_have_text("3 Absätze")
        lines = self.outline(page)
        self.assertEqual(lines.index(box), 2)
        self.assertEqual(lines[-1], "Anzeige im Text")
        # Inside the editor, the same places are labelled after their paragraph.
        self.assertEqual(
            self.label_after(page, 2), '"Mehr zum Thema: Was bisher geschah"'
        )
        self.assertEqual(self.label_after(page, 3), '"Anzeige im Text"')
        self.assertEqual(self.label_after(page, 1), "none")

        # The box moves by a click on it and one on the gap after paragraph 1.
        page.click(".body-layout__box")
        page.click(".body-layout__gap[data-after-paragraph='1']")
        expect(page.locator(".body-layout__parts li").nth(1)).to_have_text(box)
        self.assertEqual(page.input_value("#id_topic_boxes-0-after_paragraph"), "1")
        self.assertEqual(
            self.label_after(page, 1), '"Mehr zum Thema: Was bisher geschah"'
        )

        # A subheading in one click, on the line being typed.
        caret_at_end(editor)
        page.keyboard.press("Enter")
        page.click(".prose-menubar__button--subheading")
        page.keyboard.type("Wie es weitergeht")
        page.wait_for_selector(".body-layout__block--h2")

        page.select_option("#id_section", label="Lokales › Politik")
        self.assertIn("News › Politik", page.locator("#id_section").inner_text())

        page.wait_for_selector(".crop-preview[data-crop='1x1'] img")
        square = page.locator(".crop-preview[data-crop='1x1'] img")
        expect(square).to_have_attribute("style", re.compile(r"left: -38\.8889%"))
        picture = page.locator(".focal-point img")
        # At the left edge: the square crop can go no further left.
        picture.click(position={"x": 2, "y": picture.bounding_box()["height"] / 2})
        expect(square).to_have_attribute("style", re.compile(r"left: 0%"))
        self.assertEqual(
            page.locator(".crop-previews figcaption").all_inner_texts(),
            ["16:9", "4:3", "1:1"],
        )

        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")
        self.article.refresh_from_db()
        self.assertEqual(self.article.section, self.lokalpolitik)
        self.assertIn("<h2>Wie es weitergeht</h2>", self.article.body)
        self.assertEqual(self.article.topic_boxes.get().after_paragraph, 1)
        self.assertLess(self.article.image_focal_x, 0.05)
        self.assertEqual(Article.objects.count(), 2)
