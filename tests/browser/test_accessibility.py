"""axe-core finds nothing on any kind of reader page, on a phone or a desktop.

axe-core comes from npm (tests/browser/vendor, see its README).
"""

from tests.browser.base import BrowserTestCase
from tests.validation.checkers import AXE
from tests.validation.pages import reader_pages

VIEWPORTS = {"Telefon": (390, 844), "Desktop": (1366, 900)}


class AxeTests(BrowserTestCase):
    maxDiff = None

    def test_no_violation_of_any_impact_on_any_page(self):
        pages = reader_pages()
        axe = AXE.read_text(encoding="utf-8")
        found = []

        for name, url in pages:
            for device, (width, height) in VIEWPORTS.items():
                # The page's own policy would refuse the injected script.
                page = self.open(
                    url, viewport={"width": width, "height": height}, bypass_csp=True
                )
                page.add_script_tag(content=axe)
                result = page.evaluate(
                    "() => axe.run(document, {resultTypes: ['violations']})"
                )
                found += [
                    f"{name} ({device}): {violation['id']} [{violation['impact']}] "
                    + "; ".join(node["target"][0] for node in violation["nodes"][:3])
                    for violation in result["violations"]
                ]

        print(f"\naxe-core: {len(found)} Verstöße auf {len(pages)} Seitenarten")
        self.assertEqual(found, [], "\n".join(found))


class KeyboardFocusTests(BrowserTestCase):
    def test_the_sponsored_card_shows_keyboard_focus_like_every_link(self):
        pages = dict(reader_pages())
        page = self.open(pages["Artikel mit Anzeigen"])
        sponsored = page.locator(".card--sponsored .card__link")
        self.assertEqual(sponsored.count(), 1)

        for _ in range(200):
            page.keyboard.press("Tab")
            if sponsored.evaluate("link => link === document.activeElement"):
                break
        else:
            self.fail("Der gesponserte Beitrag ist mit der Tastatur nicht erreichbar.")

        outline = sponsored.evaluate(
            "link => [getComputedStyle(link).outlineStyle,"
            " getComputedStyle(link).outlineWidth]"
        )
        self.assertEqual(outline, ["solid", "3px"])
