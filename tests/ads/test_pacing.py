"""The ad manager's view of a campaign: honest pacing from its first hour,
the statistics one click from the campaign, "Nicht gezählt" explained."""

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from ads.models import Campaign
from ads.reports import REASON_EXPLANATIONS
from tests.factories import make_campaign, make_creative

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 12, 1, 6, 0, tzinfo=BERLIN)


def campaign(days=30, goal=72_000):
    """A campaign of `days` from START: an even pace of 100 an hour for 30."""
    return Campaign(
        name="Ökostrom",
        starts_at=START,
        ends_at=START + timedelta(days=days),
        impression_goal=goal,
    )


class PacingTests(SimpleTestCase):
    def test_the_first_hours_give_figures_but_no_verdict(self):
        pace = campaign().pacing(900, at=START + timedelta(hours=3))

        self.assertEqual(pace["expected"], 300)
        self.assertEqual(pace["served"], 900)
        self.assertIsNone(pace["percent"])
        self.assertEqual(pace["verdict"], "noch zu früh für eine Prognose")

    def test_after_a_full_day_the_pace_is_judged_pro_rata(self):
        at = START + timedelta(hours=30)
        cases = {2_500: "zu langsam", 3_000: "im Plan", 3_500: "zu schnell"}
        for served, verdict in cases.items():
            with self.subTest(served=served):
                pace = campaign().pacing(served, at=at)
                self.assertEqual(pace["expected"], 3_000)
                self.assertEqual(pace["verdict"], verdict)
        self.assertEqual(campaign().pacing(3_300, at=at)["percent"], 110)

    def test_a_short_campaign_is_judged_after_half_its_run(self):
        short = campaign(days=0.25, goal=600)

        self.assertEqual(
            short.pacing(100, at=START + timedelta(hours=2))["verdict"],
            "noch zu früh für eine Prognose",
        )
        self.assertEqual(
            short.pacing(400, at=START + timedelta(hours=4))["verdict"], "im Plan"
        )

    def test_before_the_start_and_after_the_end(self):
        self.assertEqual(
            campaign().pacing(0, at=START - timedelta(hours=1))["verdict"],
            "noch nicht begonnen",
        )
        ended = campaign().pacing(54_000, at=START + timedelta(days=31))
        self.assertEqual(ended["verdict"], "beendet")
        self.assertEqual(ended["percent"], 75)

    def test_no_goal_no_pacing(self):
        self.assertIsNone(campaign(goal=None).pacing(10))


class CampaignReportLinkTests(TestCase):
    def setUp(self):
        traveller = time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN))
        traveller.start()
        self.addCleanup(traveller.stop)
        manager = get_user_model().objects.create(username="anzeigen", is_staff=True)
        manager.groups.add(Group.objects.get(name="Anzeigenverwaltung"))
        self.client.force_login(manager)

    def report_link(self, campaign):
        response = self.client.get(
            reverse("admin:ads_campaign_change", args=[campaign.pk])
        )
        self.assertEqual(response.status_code, 200)
        return response.context["report_url"]

    def test_the_campaign_page_links_to_its_statistics_so_far(self):
        this_morning = datetime(2026, 12, 3, 6, 0, tzinfo=BERLIN)
        running = make_campaign(
            starts_at=this_morning - timedelta(days=2),
            ends_at=this_morning + timedelta(days=30),
        )

        url = urlsplit(self.report_link(running))

        self.assertEqual(url.path, reverse("admin:ads_campaign_report"))
        self.assertEqual(
            parse_qs(url.query),
            {
                "campaign": [str(running.pk)],
                "start": ["2026-12-01"],
                "end": ["2026-12-03"],
            },
        )
        report = self.client.get(f"{url.path}?{url.query}")
        self.assertEqual(report.context["form"].cleaned_data["campaign"], running)

    def test_a_campaign_started_this_morning_is_not_judged_yet(self):
        this_morning = datetime(2026, 12, 3, 6, 0, tzinfo=BERLIN)
        started = make_campaign(
            starts_at=this_morning,
            ends_at=this_morning + timedelta(days=30),
            impression_goal=72_000,
        )

        report = self.client.get(self.report_link(started))

        self.assertContains(report, "noch zu früh für eine Prognose")
        [(_, pace)] = report.context["report"].pacing
        self.assertEqual(pace["expected"], 300)

    def test_an_ended_campaign_links_to_its_whole_run(self):
        ended = make_campaign(
            starts_at=datetime(2026, 11, 1, tzinfo=BERLIN),
            ends_at=datetime(2026, 11, 15, tzinfo=BERLIN),
        )

        query = parse_qs(urlsplit(self.report_link(ended)).query)

        self.assertEqual(query["start"], ["2026-11-01"])
        # Ends at midnight: the 14th was its last day.
        self.assertEqual(query["end"], ["2026-11-14"])

    def test_the_link_is_on_the_page_not_on_the_add_form(self):
        running = make_campaign()
        page = self.client.get(reverse("admin:ads_campaign_change", args=[running.pk]))
        self.assertContains(page, 'id="campaign-report"')
        add = self.client.get(reverse("admin:ads_campaign_add"))
        self.assertNotContains(add, 'id="campaign-report"')

    def test_a_long_campaign_reaches_back_as_far_as_a_report_may(self):
        long = campaign(days=800)
        self.assertEqual(
            long.report_days(date(2028, 12, 1), 366),
            (date(2027, 12, 2), date(2028, 12, 1)),
        )

    def test_the_report_explains_every_reason_not_counted(self):
        make_creative()
        response = self.client.get(reverse("admin:ads_campaign_report"))
        for explanation in REASON_EXPLANATIONS.values():
            self.assertContains(response, explanation)
