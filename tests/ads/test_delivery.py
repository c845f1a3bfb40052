import random
from collections import Counter
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from ads.delivery import (
    SNAPSHOT_VERSION_KEY,
    Page,
    build_snapshot,
    current_snapshot,
    decide,
    forget_snapshot,
)
from ads.models import AdEvent, CampaignStatus, CampaignTier, CountReason, EventCount
from articles.models import Tag
from tests.factories import make_campaign, make_creative, make_section, make_slot


def chosen_campaigns(slot_keys, page=None, rng=None):
    placements = decide(slot_keys, page or Page(), snapshot=build_snapshot(), rng=rng)
    return {
        key: placement.creative.campaign_id for key, placement in placements.items()
    }


def count_served(creative, slot, count, at=None):
    for _ in range(count):
        EventCount.objects.add(
            AdEvent.SERVED, CountReason.COUNTED, creative.pk, slot.pk, at=at
        )


class DeliveryDatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.slot = make_slot(key="header")

    def test_only_active_campaigns_within_their_dates_are_served(self):
        now = timezone.now()
        running = make_campaign()
        make_creative(slot=self.slot, campaign=running)
        for campaign in [
            make_campaign(starts_at=now + timedelta(hours=1)),
            make_campaign(
                starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1)
            ),
            make_campaign(status=CampaignStatus.PAUSED),
            make_campaign(status=CampaignStatus.DRAFT),
        ]:
            make_creative(slot=self.slot, campaign=campaign)

        choices = {chosen_campaigns(["header"])["header"] for _ in range(30)}

        self.assertEqual(choices, {running.pk})

    def test_a_campaign_ending_after_the_snapshot_was_taken_stops_at_its_end(self):
        campaign = make_campaign(ends_at=timezone.now() + timedelta(seconds=30))
        make_creative(slot=self.slot, campaign=campaign)
        snapshot = build_snapshot()

        later = decide(
            ["header"], Page(), snapshot, at=timezone.now() + timedelta(minutes=1)
        )

        self.assertEqual(later, {})

    def test_one_snapshot_follows_campaigns_starting_and_ending_while_it_lasts(self):
        now = timezone.now()
        ending = make_campaign(ends_at=now + timedelta(seconds=20))
        starting = make_campaign(starts_at=now + timedelta(seconds=40))
        for campaign in (ending, starting):
            make_creative(slot=self.slot, campaign=campaign)
        snapshot = build_snapshot()

        def shown(at):
            placements = decide(["header"], Page(), snapshot, at=at)
            return placements["header"].creative.campaign_id if placements else None

        self.assertEqual(
            [shown(now + timedelta(seconds=s)) for s in (0, 10, 30, 50, 5, 45)],
            [ending.pk, ending.pk, None, starting.pk, ending.pk, starting.pk],
        )

    def test_switched_off_creatives_and_slots_are_not_served(self):
        make_creative(slot=self.slot, is_active=False)
        make_creative(slot=make_slot(key="sidebar", is_active=False))

        self.assertEqual(chosen_campaigns(["header", "sidebar"]), {})


class DeliveryPriorityTests(TestCase):
    def test_higher_tier_always_wins(self):
        slot = make_slot(key="header")
        sponsoring = make_campaign(tier=CampaignTier.SPONSORING, weight=1)
        standard = make_campaign(tier=CampaignTier.STANDARD, weight=1000)
        make_creative(slot=slot, campaign=sponsoring)
        make_creative(slot=slot, campaign=standard)

        choices = Counter(chosen_campaigns(["header"])["header"] for _ in range(50))

        self.assertEqual(choices, {sponsoring.pk: 50})

    def test_weights_share_a_tier_within_statistical_tolerance(self):
        slot = make_slot(key="header")
        heavy = make_campaign(weight=30)
        light = make_campaign(weight=10)
        make_creative(slot=slot, campaign=heavy)
        make_creative(slot=slot, campaign=light)
        snapshot = build_snapshot()
        rng = random.Random(4)
        draws = 4000

        choices = Counter(
            decide(["header"], Page(), snapshot, rng=rng)["header"].creative.campaign_id
            for _ in range(draws)
        )

        # Expected share 0.75; three standard deviations are about 0.02.
        self.assertAlmostEqual(choices[heavy.pk] / draws, 0.75, delta=0.02)

    def test_house_ads_fill_what_is_left_and_no_campaign_appears_twice(self):
        header, end_1, end_2 = (
            make_slot(key="header", width=728, height=90),
            make_slot(key="article-end-1"),
            make_slot(key="article-end-2"),
        )
        paid = make_campaign()
        make_creative(slots=[end_1, end_2], campaign=paid)
        house = make_campaign(tier=CampaignTier.HOUSE)
        make_creative(slot=header, campaign=house)
        make_creative(slots=[end_1, end_2], campaign=house)

        choice = chosen_campaigns(["header", "article-end-1", "article-end-2"])

        self.assertEqual(sorted(choice.values()), sorted([paid.pk, house.pk]))
        self.assertEqual(choice["header"], house.pk)
        self.assertEqual(len(choice), 2)

    def test_a_slot_nobody_fits_is_left_out(self):
        make_slot(key="sidebar")
        make_creative(slot=make_slot(key="header"))

        self.assertEqual(list(chosen_campaigns(["header", "sidebar"])), ["header"])


class DeliveryTargetingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.slot = make_slot(key="header")
        cls.news = make_section(name="News", slug="news")
        cls.politik = make_section(name="Politik", slug="politik", parent=cls.news)
        cls.wirtschaft = make_section(
            name="Wirtschaft", slug="wirtschaft", parent=cls.news
        )
        cls.island = Tag.objects.create(name="Island")
        cls.wahl = Tag.objects.create(name="Wahl")

    def served_on(self, campaign, page):
        make_creative(slot=self.slot, campaign=campaign)
        return chosen_campaigns(["header"], page).get("header") == campaign.pk

    def test_section_targeting_includes_subsections(self):
        campaign = make_campaign(sections=[self.news])

        self.assertIs(self.served_on(campaign, Page(section_path="news/politik")), True)
        self.assertIs(self.served_on(campaign, Page(section_path="news")), True)
        self.assertIs(self.served_on(campaign, Page(section_path="newsletter")), False)
        self.assertIs(self.served_on(campaign, Page()), False)

    def test_subsection_targeting_leaves_out_its_siblings(self):
        campaign = make_campaign(sections=[self.politik])

        self.assertIs(self.served_on(campaign, Page(section_path="news/politik")), True)
        self.assertIs(
            self.served_on(campaign, Page(section_path="news/wirtschaft")), False
        )

    def test_tag_targeting_needs_one_shared_tag(self):
        campaign = make_campaign(tags=[self.island])

        self.assertIs(
            self.served_on(campaign, Page(tag_ids=frozenset([self.island.pk]))), True
        )
        self.assertIs(
            self.served_on(campaign, Page(tag_ids=frozenset([self.wahl.pk]))), False
        )

    def test_sections_and_tags_together_must_both_match(self):
        campaign = make_campaign(sections=[self.politik], tags=[self.wahl])

        both = Page(section_path="news/politik", tag_ids=frozenset([self.wahl.pk]))
        section_only = Page(section_path="news/politik")

        self.assertIs(self.served_on(campaign, both), True)
        self.assertIs(self.served_on(campaign, section_only), False)

    def test_exclusions_win_over_targeting(self):
        by_section = make_campaign(
            sections=[self.news], excluded_sections=[self.politik]
        )
        by_tag = make_campaign(excluded_tags=[self.wahl])

        self.assertIs(
            self.served_on(by_section, Page(section_path="news/politik")), False
        )
        self.assertIs(
            self.served_on(by_section, Page(section_path="news/wirtschaft")), True
        )
        self.assertIs(
            self.served_on(by_tag, Page(tag_ids=frozenset([self.wahl.pk]))), False
        )


class DeliveryCapsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.slot = make_slot(key="header")

    def test_daily_cap_stops_a_campaign_for_the_rest_of_the_day(self):
        campaign = make_campaign(daily_cap=3)
        creative = make_creative(slot=self.slot, campaign=campaign)
        count_served(creative, self.slot, 2)
        self.assertEqual(chosen_campaigns(["header"]), {"header": campaign.pk})

        count_served(creative, self.slot, 1)

        self.assertEqual(chosen_campaigns(["header"]), {})

    def test_yesterdays_deliveries_do_not_count_towards_todays_cap(self):
        campaign = make_campaign(daily_cap=3)
        creative = make_creative(slot=self.slot, campaign=campaign)

        count_served(creative, self.slot, 5, at=timezone.now() - timedelta(days=1))

        self.assertEqual(chosen_campaigns(["header"]), {"header": campaign.pk})

    def test_a_reached_goal_ends_delivery(self):
        campaign = make_campaign(
            impression_goal=4,
            starts_at=timezone.now() - timedelta(days=10),
            ends_at=timezone.now() + timedelta(hours=1),
        )
        creative = make_creative(slot=self.slot, campaign=campaign)

        count_served(creative, self.slot, 4)

        self.assertEqual(chosen_campaigns(["header"]), {})

    def test_a_campaign_ahead_of_its_even_pace_waits(self):
        now = timezone.now()
        campaign = make_campaign(
            impression_goal=1000,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=99),
        )
        creative = make_creative(slot=self.slot, campaign=campaign)
        count_served(creative, self.slot, 5)
        self.assertEqual(chosen_campaigns(["header"]), {"header": campaign.pk})

        # The even pace allows 10 to 20 by tonight (1 % of the goal a day).
        count_served(creative, self.slot, 25)

        self.assertEqual(chosen_campaigns(["header"]), {})

    def test_filtered_events_do_not_use_up_a_cap(self):
        campaign = make_campaign(daily_cap=1)
        creative = make_creative(slot=self.slot, campaign=campaign)

        for reason in (CountReason.BOT, CountReason.STAFF, CountReason.REPEAT):
            EventCount.objects.add(AdEvent.SERVED, reason, creative.pk, self.slot.pk)

        self.assertEqual(chosen_campaigns(["header"]), {"header": campaign.pk})


class DeliverySnapshotTests(TestCase):
    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def test_decisions_cost_no_query_once_the_campaigns_are_cached(self):
        make_creative(slot=make_slot(key="header"))
        current_snapshot()

        with self.assertNumQueries(0):
            placements = decide(["header"], Page())

        self.assertIn("header", placements)

    def test_the_process_keeps_its_snapshot_instead_of_unpickling_it(self):
        make_creative(slot=make_slot(key="header"))
        first = current_snapshot()

        with self.assertNumQueries(0):
            second = current_snapshot()

        self.assertIs(second, first)

    def test_a_saved_campaign_retires_the_snapshot_at_once(self):
        slot = make_slot(key="header")
        current_snapshot()
        campaign = make_campaign()
        make_creative(slot=slot, campaign=campaign)

        forget_snapshot()

        self.assertEqual([c.id for c in current_snapshot().campaigns], [campaign.pk])

    def test_a_change_saved_by_another_server_retires_the_snapshot(self):
        slot = make_slot(key="header")
        kept = current_snapshot()
        make_creative(slot=slot)

        # What forget_snapshot() on another server leaves in the shared cache.
        cache.set(SNAPSHOT_VERSION_KEY, "neu", timeout=None)

        self.assertIsNot(current_snapshot(), kept)
        self.assertEqual(len(current_snapshot().campaigns), 1)

    def test_a_cleared_cache_retires_the_snapshot(self):
        kept = current_snapshot()
        make_creative(slot=make_slot(key="header"))

        cache.clear()

        self.assertIsNot(current_snapshot(), kept)
        self.assertEqual(len(current_snapshot().campaigns), 1)

    def test_the_snapshot_is_read_again_after_a_minute(self):
        kept = current_snapshot()
        make_creative(slot=make_slot(key="header"))
        a_minute_later = timezone.now() + timedelta(seconds=61)

        with mock.patch("django.utils.timezone.now", return_value=a_minute_later):
            snapshot = current_snapshot()

        self.assertIsNot(snapshot, kept)
        self.assertEqual(len(snapshot.campaigns), 1)

    def test_the_snapshot_is_unchanged_without_a_save_within_the_minute(self):
        kept = current_snapshot()
        make_creative(slot=make_slot(key="header"))

        self.assertIs(current_snapshot(), kept)
