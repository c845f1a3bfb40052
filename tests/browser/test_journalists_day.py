"""A journalist's day in chromium, as the roles live it.

The journalist writes (a closed tab loses nothing) and submits; the desk
reviews, shares a preview, publishes, corrects, moves and restores; two
desk editors collide on one article and see why their save is refused.
"""

from unittest import mock

from django.urls import reverse
from reversion import create_revision, set_user

from articles.admin import ArticleAdmin
from articles.models import Article, ArticleStatus, AutosavedDraft
from tests.browser.base import BrowserTestCase, caret_at_end, wait_for
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    make_draft,
    make_section,
    make_staff,
)

PASSWORD = "Pressefreiheit-2026"
HEADLINE = "Stadtrat ringt um die Schuldenbremse"
CORRECTION = "Die Sitzung beginnt um 17 und nicht um 18 Uhr."


class JournalistsDayInBrowserTests(BrowserTestCase):
    def setUp(self):
        self.journalist = make_staff(JOURNALIST, password=PASSWORD, username="jana")
        self.desk = make_staff(
            DESK_EDITOR,
            password=PASSWORD,
            username="cvd",
            first_name="Clara",
            last_name="Dienst",
        )
        news = make_section(name="News", slug="news")
        self.politik = make_section(name="Politik", slug="politik", parent=news)
        # Saving what is typed, and asking who else is there, every second.
        for setting in ("autosave_seconds", "heartbeat_seconds"):
            patcher = mock.patch.object(ArticleAdmin, setting, 1)
            patcher.start()
            self.addCleanup(patcher.stop)

    def url(self, name, *args):
        return self.live_server_url + reverse(
            f"admin:articles_article_{name}", args=args
        )

    def subheading(self, page, text):
        """A subheading by the editor's block menu, as a journalist makes one."""
        page.click(".prose-menubar__selected")
        page.click(".prose-menubar__option[data-name=heading2]")
        page.keyboard.type(text)
        page.keyboard.press("Enter")

    def autosaved_body(self):
        draft = AutosavedDraft.objects.filter(user=self.journalist).first()
        return draft.data["body"] if draft else ""

    def save(self, page, back_to_the_form=True):
        """Sichern, then back to the form, as the desk works through a story."""
        form = page.url
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
        if back_to_the_form:
            page.goto(form)

    def test_write_submit_review_share_publish_correct_move_restore(self):
        # The journalist starts a story; the browser tab then closes.
        signed_in = self.log_in("jana", PASSWORD)
        writer = signed_in.context.new_page()
        writer.goto(self.url("add"))
        writer.fill("#id_kicker", "Haushalt 2027")
        writer.fill("#id_headline", HEADLINE)
        writer.fill("#id_lead", "Die Fraktionen legen drei Modelle vor.")
        writer.locator(".field-body .ProseMirror[contenteditable=true]").click()
        writer.keyboard.type("Am Dienstag beginnen die Beratungen.")
        writer.keyboard.press("Enter")
        self.subheading(writer, "Drei Modelle")
        writer.keyboard.type("Das erste Modell setzt auf Einsparungen.")
        status = writer.locator("[data-autosave-status]")
        status.get_by_text("Entwurf automatisch gespeichert um").wait_for()
        self.assertTrue(wait_for(lambda: "Einsparungen." in self.autosaved_body()))
        writer.close()

        # Reopened: the draft is offered and comes back whole.
        writer = signed_in
        writer.goto(self.url("add"))
        offer = writer.locator("[data-draft-offer]")
        self.assertIn("automatisch gespeicherten Entwurf", offer.inner_text())
        offer.get_by_text("Entwurf wiederherstellen").click()
        writer.wait_for_selector(".editing__restored")
        self.assertEqual(writer.input_value("#id_headline"), HEADLINE)
        editor = writer.locator(".field-body .ProseMirror[contenteditable=true]")
        self.assertIn("Das erste Modell setzt auf Einsparungen.", editor.inner_text())
        caret_at_end(editor)
        writer.keyboard.press("Enter")
        self.subheading(writer, "Wie es weitergeht")
        writer.keyboard.type("Im März stimmt der Rat ab.")
        writer.select_option("#id_section", label="News › Politik")
        writer.select_option("#id_status", "review")
        self.save(writer, back_to_the_form=False)
        article = Article.objects.get(headline=HEADLINE)
        self.assertEqual(article.status, ArticleStatus.REVIEW)
        self.assertEqual(article.body.count("<h2>"), 2)
        self.assertIn("<h2>Wie es weitergeht</h2>", article.body)
        self.assertFalse(AutosavedDraft.objects.exists())
        first_path = article.get_absolute_url()

        # The desk reviews and shares a preview with someone outside.
        desk = self.log_in("cvd", PASSWORD)
        desk.goto(self.url("change", article.pk))
        desk.click("text=Vorschau-Link erstellen")
        link = desk.locator("[data-share-preview-url]")
        link.wait_for()
        outsider = self.new_page()
        outsider.goto(link.input_value())
        self.assertEqual(outsider.locator("h1").inner_text(), HEADLINE)
        self.assertIn("Vorschau", outsider.locator(".preview-banner").inner_text())

        # Publishes, corrects, moves the story.
        desk.select_option("#id_status", "published")
        self.save(desk)
        desk.click("#corrections-group .add-row a")
        desk.locator("#corrections-0").get_by_label("Korrektur", exact=True).check()
        desk.fill("#id_corrections-0-text", CORRECTION)
        self.save(desk)
        desk.fill("#id_slug", "schuldenbremse-drei-modelle")
        self.save(desk)
        moved_path = Article.objects.get(pk=article.pk).get_absolute_url()
        self.assertNotEqual(moved_path, first_path)

        # Brings back the version before the move.
        desk.goto(self.url("history", article.pk))
        desk.locator("#change-history tbody tr").nth(1).locator("a").first.click()
        self.save(desk, back_to_the_form=False)

        reader = self.open(first_path)
        self.assertEqual(reader.locator("h1").inner_text(), HEADLINE)
        self.assertIn(CORRECTION, reader.content())
        self.assertEqual(reader.locator(".article__body h2").count(), 2)
        current = reader.request.get(self.live_server_url + first_path, max_redirects=0)
        moved = reader.request.get(self.live_server_url + moved_path, max_redirects=0)
        self.assertEqual(current.status, 200)
        self.assertEqual(moved.status, 301)
        self.assertEqual(moved.headers["location"], first_path)

    def test_two_desk_editors_see_each_other_and_the_stale_save_is_refused(self):
        make_staff(
            DESK_EDITOR,
            password=PASSWORD,
            username="nachtdienst",
            first_name="Nora",
            last_name="Nachtschicht",
        )
        article = make_draft(section=self.politik, headline="Erste Fassung")
        with create_revision():
            set_user(self.desk)
            article.save()
        early = self.log_in("cvd", PASSWORD)
        late = self.log_in("nachtdienst", PASSWORD)
        early.goto(self.url("change", article.pk))
        late.goto(self.url("change", article.pk))

        for page, colleague in ((early, "Nora Nachtschicht"), (late, "Clara Dienst")):
            presence = page.locator("[data-presence]")
            presence.get_by_text(colleague).wait_for()
            self.assertRegex(
                presence.inner_text(),
                rf"^Ebenfalls geöffnet: {colleague} seit \d\d:\d\d Uhr$",
            )

        early.fill("#id_headline", "Fassung der Frühschicht")
        self.save(early)
        notice = late.locator("[data-saved-notice]")
        notice.wait_for()
        self.assertIn(
            "Clara Dienst hat den Artikel um",
            notice.locator("[data-saved-message]").inner_text(),
        )

        late.fill("#id_headline", "Fassung der Nachtschicht")
        late.click("input[name=_save]")
        refusal = late.locator(".errornote, .errorlist.nonfield").last
        self.assertIn("Nicht gespeichert:", refusal.inner_text())
        self.assertEqual(late.input_value("#id_headline"), "Fassung der Nachtschicht")
        with late.context.expect_page() as opened:
            refusal.get_by_text("Änderungen ansehen").click()
        diff = opened.value
        diff.wait_for_load_state()
        self.assertIn("/history/compare/", diff.url)
        headline = diff.locator("h3:has-text('Überschrift') + .module")
        self.assertEqual(headline.locator("del").inner_text().strip(), "Erste")
        self.assertEqual(
            headline.locator("ins").inner_text().strip(), "der Frühschicht"
        )
        article.refresh_from_db()
        self.assertEqual(article.headline, "Fassung der Frühschicht")
