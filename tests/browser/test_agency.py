"""Agency copy in chromium: a journalist takes an item over with one click,
the agency sends a new version, and the article says so."""

from agency.models import Takeover
from tests.agency.factories import make_agency, receive_sample
from tests.browser.base import BrowserTestCase
from tests.factories import JOURNALIST, make_staff

PASSWORD = "Pressefreiheit-2026"


class AgencyUpdateInBrowserTests(BrowserTestCase):
    def setUp(self):
        make_staff(JOURNALIST, password=PASSWORD, username="jana")
        self.agency = make_agency()
        receive_sample(self.agency, "haushalt_v1.json")

    def test_an_agency_update_is_flagged_on_the_article_that_used_it(self):
        page = self.log_in("jana", PASSWORD)
        page.goto(f"{self.live_server_url}/admin/agency/agencyitem/")
        # The click leads on to the article form, the admin's heaviest page.
        page.click("button:has-text('Übernehmen')", timeout=60_000)
        page.wait_for_selector(".messagelist .success")
        article = Takeover.objects.get().article
        self.assertIn(f"/admin/articles/article/{article.pk}/change/", page.url)
        agency_box = page.locator("#agency_takeover-group")
        self.assertIn("Version 1 genutzt, aktuell.", agency_box.inner_text())

        receive_sample(self.agency, "haushalt_v2.json")
        page.reload()

        self.assertIn(
            "Agenturmeldung aktualisiert: Version 2 liegt vor, genutzt wurde Version 1.",
            agency_box.inner_text(),
        )
        page.click("#agency_takeover-group a")
        added = page.locator(".field-changes_since_previous ins")
        added.first.wait_for()
        self.assertIn("250", added.all_inner_texts())
