"""The body editor, built by script, speaks German too."""

from tests.accounts.test_german_admin import ENGLISH
from tests.browser.base import BrowserTestCase
from tests.factories import JOURNALIST, make_staff

PASSWORD = "Pressefreiheit-2026"

# Tooltips and names of the menu's buttons (the icons' own text is a font
# ligature such as "format_bold", never read), the block-type choices and
# everything in an open dialog.
READ_EDITOR = """
() => {
  const texts = []
  for (const button of document.querySelectorAll(".prose-menubar button")) {
    texts.push(button.title, button.getAttribute("aria-label") || "")
    if (!button.classList.contains("material-icons")) {
      texts.push(button.textContent)
    }
  }
  for (const dialog of document.querySelectorAll("dialog[open]")) {
    texts.push(dialog.innerText)
    for (const input of dialog.querySelectorAll("button")) {
      texts.push(input.textContent)
    }
  }
  return texts.filter((text) => text && text.trim())
}
"""


class BodyEditorInGermanTests(BrowserTestCase):
    def setUp(self):
        make_staff(JOURNALIST, password=PASSWORD, username="jana")

    def english_in(self, texts):
        return [text for text in texts if ENGLISH.search(text)]

    def test_menus_and_link_dialog_read_in_german(self):
        page = self.log_in("jana", PASSWORD)
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
        editor.click()
        page.keyboard.type("Mehr dazu beim Senat")
        page.keyboard.press("Shift+Home")

        menu = page.evaluate(READ_EDITOR)
        page.click(".prose-menubar [data-name=link]")
        page.wait_for_selector("dialog[open]")
        dialog = page.evaluate(READ_EDITOR)

        self.assertIn("Fett", menu)
        self.assertIn("Zwischenüberschrift", menu)
        self.assertIn("Absatz", menu)
        self.assertEqual(self.english_in(menu), [])
        self.assertIn("Link bearbeiten", "\n".join(dialog))
        self.assertIn("Abbrechen", dialog)
        self.assertEqual(self.english_in(dialog), [])
