import random
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from ads.delivery import Page, decide
from ads.models import AdSlot, Campaign, CampaignTier, Creative, SlotFormat
from articles.models import Article


class DemoAdsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=StringIO())
        call_command("load_demo_ads", stdout=StringIO())

    def test_every_slot_key_of_the_templates_exists(self):
        self.assertEqual(
            set(AdSlot.objects.values_list("key", flat=True)),
            {
                "header",
                "article-inline",
                "article-end-1",
                "article-end-2",
                "sidebar",
                "related-sponsored",
                # After every fifth entry of a Liveticker (live/templatetags).
                "liveticker-1",
                "liveticker-2",
                "liveticker-3",
                # After every fourth picture of a gallery (galleries/templatetags).
                "bilderstrecke",
            },
        )

    def test_house_ads_a_targeted_campaign_and_a_native_creative_are_booked(self):
        self.assertGreaterEqual(
            Campaign.objects.filter(tier=CampaignTier.HOUSE).count(), 2
        )
        self.assertTrue(Campaign.objects.filter(sections__path="wissen/klima").exists())
        self.assertTrue(
            Creative.objects.filter(slots__format=SlotFormat.NATIVE)
            .exclude(headline="")
            .exists()
        )

    def test_every_demo_creative_obeys_the_rules_an_ad_manager_must_follow(self):
        for creative in Creative.objects.prefetch_related("slots"):
            with self.subTest(creative=creative.name):
                creative.full_clean()
                self.assertEqual(creative.fit_errors(list(creative.slots.all())), {})


class DemoInventoryFillsArticlePagesTests(TestCase):
    """Every slot an article page has shows an ad, Politik included, where
    the one advertiser running everywhere else is excluded."""

    ARTICLE_SLOTS = [
        "header",
        "article-inline",
        "article-end-1",
        "article-end-2",
        "related-sponsored",
    ]

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=StringIO())
        call_command("load_demo_ads", stdout=StringIO())

    def test_every_slot_of_every_article_page_is_filled(self):
        for article in Article.objects.published().select_related("section"):
            page = Page.about(article=article)
            for attempt in range(10):
                with self.subTest(article=article.section.path, attempt=attempt):
                    placements = decide(
                        self.ARTICLE_SLOTS, page, rng=random.Random(attempt)
                    )
                    self.assertEqual(set(placements), set(self.ARTICLE_SLOTS))
