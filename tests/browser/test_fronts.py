"""The desk plans the Startseite for the next full hour, previews it, and
readers get it at that hour, with no job running.

The hour is reached by moving the application's clock (timezone.now, which
the live server's thread shares with the test): which version readers see
is decided by the clock whenever a page is read, so a moved clock is what
the passing of the hour looks like to the site."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from fronts.models import BlockKind, FrontVersion
from tests.browser.base import BrowserTestCase
from tests.factories import DESK_EDITOR, make_article, make_section, make_staff
from tests.fronts.factories import make_block, make_front, make_version

PASSWORD = "Pressefreiheit-2026"
MORNING = "Hitzewelle geht zu Ende"
EVENING = "Auenbrück wählt eine neue Bürgermeisterin"


def next_full_hour():
    now = timezone.localtime()
    hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    # Far enough ahead that the plan is still a plan while it is made.
    return hour if hour - now > timedelta(minutes=5) else hour + timedelta(hours=1)


class PlanAFrontInBrowserTests(BrowserTestCase):
    def setUp(self):
        make_staff(DESK_EDITOR, password=PASSWORD, username="cvd")
        news = make_section(name="News", slug="news")
        self.front = make_front()
        make_block(
            make_version(self.front),
            BlockKind.LEAD,
            count=1,
            placed=[make_article(section=news, headline=MORNING)],
        )
        make_article(
            section=news,
            headline=EVENING,
            published_at=timezone.now() - timedelta(hours=3),
        )

    def test_the_desk_plans_previews_and_the_plan_goes_live_at_its_hour(self):
        starts_at = next_full_hour()
        desk = self.log_in("cvd", PASSWORD)
        desk.goto(
            f"{self.live_server_url}/admin/fronts/frontversion/add/"
            f"?front={self.front.pk}"
        )
        desk.fill("#id_name", "Abendausgabe")
        desk.fill("#id_starts_at_0", f"{starts_at:%d.%m.%Y}")
        desk.fill("#id_starts_at_1", f"{starts_at:%H:%M:%S}")
        # Two blocks, typed in the wrong order, then dragged into place.
        for _ in range(2):
            desk.click("#blocks-group .add-row a")
        desk.select_option("#id_blocks-0-kind", "top")
        desk.select_option("#id_blocks-1-kind", "lead")
        desk.fill("#id_blocks-1-count", "1")
        desk.locator("#blocks-1 .drag-handle").drag_to(
            desk.locator("#blocks-0 .drag-handle")
        )
        self.assertEqual(desk.input_value("#id_blocks-1-position"), "1")
        self.assertEqual(desk.input_value("#id_blocks-0-position"), "2")
        desk.click("input[name=_continue]")
        desk.wait_for_selector(".messagelist .success")

        # The lead story, placed by hand in the saved block.
        desk.click("#placements-group .add-row a")
        desk.select_option("#id_placements-0-block", label="1. Aufmacher")
        self.choose_autocomplete(desk, "#id_placements-0-article", EVENING)
        desk.click("input[name=_continue]")
        desk.wait_for_selector(".messagelist .success")
        version = FrontVersion.objects.get(name="Abendausgabe")
        self.assertEqual(version.placements.get().article.headline, EVENING)

        # The preview: the real page, as it will be at its hour.
        with desk.context.expect_page() as opened:
            desk.click("text=Fassung in der Vorschau ansehen")
        preview = opened.value
        preview.wait_for_load_state()
        self.assertIn(
            "Vorschau · Abendausgabe", preview.locator(".preview-banner").inner_text()
        )
        self.assertEqual(
            preview.locator(".front-block--lead .card__headline").inner_text(), EVENING
        )

        reader = self.open("/")
        lead = reader.locator(".front-block--lead .card__headline")
        self.assertEqual(lead.inner_text(), MORNING)

        with mock.patch(
            "django.utils.timezone.now", return_value=starts_at + timedelta(seconds=1)
        ):
            reader.reload()
            self.assertEqual(lead.inner_text(), EVENING)
        self.assertEqual(self.requested_hosts, {self.live_server_url.split("//")[1]})
