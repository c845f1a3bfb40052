import os
from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ads.delivery import current_snapshot
from ads.models import (
    AdEvent,
    Campaign,
    CampaignStatus,
    CountReason,
    Creative,
    EventCount,
)
from ads.reports import REASON_EXPLANATIONS
from tests.factories import (
    image_file,
    make_advertiser,
    make_article,
    make_campaign,
    make_creative,
    make_native_slot,
    make_section,
    make_slot,
)


def make_ad_manager():
    user = get_user_model().objects.create(username="anzeigen", is_staff=True)
    user.groups.add(Group.objects.get(name="Anzeigenverwaltung"))
    return user


class AdManagerRoleTests(TestCase):
    def test_the_role_manages_the_inventory_and_reads_the_report(self):
        manager = make_ad_manager()

        for permission in [
            "ads.add_campaign",
            "ads.change_creative",
            "ads.delete_adslot",
            "ads.add_advertiser",
            "ads.view_report",
            "articles.view_section",
            "articles.view_tag",
        ]:
            self.assertIs(manager.has_perm(permission), True, permission)
        self.assertIs(manager.has_perm("ads.change_eventcount"), False)
        self.assertIs(manager.has_perm("articles.change_article"), False)

    def test_counts_are_not_editable_in_the_admin(self):
        self.client.force_login(
            get_user_model().objects.create(
                username="chef", is_staff=True, is_superuser=True
            )
        )

        response = self.client.get("/admin/ads/eventcount/")

        self.assertEqual(response.status_code, 404)


class CampaignAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = make_ad_manager()
        cls.advertiser = make_advertiser(name="Stadtwerke Auenbrück")
        cls.politik = make_section(name="Politik", slug="politik")
        cls.slot = make_slot(key="article-end-1")
        cls.native = make_native_slot()

    def setUp(self):
        self.client.force_login(self.manager)
        cache.clear()
        self.addCleanup(cache.clear)

    def post_campaign(self, creative=None, **overrides):
        now = timezone.localtime()
        data = {
            "name": "Ökostrom",
            "advertiser": self.advertiser.pk,
            "status": CampaignStatus.ACTIVE,
            "starts_at_0": (now - timedelta(days=1)).strftime("%d.%m.%Y"),
            "starts_at_1": "00:00:00",
            "ends_at_0": (now + timedelta(days=30)).strftime("%d.%m.%Y"),
            "ends_at_1": "00:00:00",
            "tier": "2",
            "weight": "10",
            "sections": [self.politik.pk],
            "creatives-TOTAL_FORMS": "1" if creative else "0",
            "creatives-INITIAL_FORMS": "0",
            "creatives-MIN_NUM_FORMS": "0",
            "creatives-MAX_NUM_FORMS": "1000",
        }
        for key, value in (creative or {}).items():
            data[f"creatives-0-{key}"] = value
        data.update(overrides)
        return self.client.post(reverse("admin:ads_campaign_add"), data)

    def creative_data(self, **overrides):
        data = {
            "name": "Rectangle",
            "slots": [self.slot.pk],
            "image": image_file("motiv.png", size=(600, 500), fmt="PNG"),
            "alt_text": "Sonne und Wind",
            "target_url": "https://example.org/oekostrom",
            "is_active": "on",
        }
        data.update(overrides)
        return data

    def test_a_campaign_with_a_creative_is_saved_and_served_at_once(self):
        self.assertEqual(current_snapshot().campaigns, ())

        response = self.post_campaign(self.creative_data())

        self.assertEqual(response.status_code, 302)
        campaign = Campaign.objects.get()
        self.assertQuerySetEqual(campaign.sections.all(), [self.politik])
        self.assertEqual(
            list(campaign.creatives.values_list("image_width", "image_height")),
            [(600, 500)],
        )
        self.assertEqual([c.id for c in current_snapshot().campaigns], [campaign.pk])

    def test_an_image_that_does_not_fit_the_slot_is_refused_in_german(self):
        response = self.post_campaign(
            self.creative_data(image=image_file("x.png", size=(310, 250), fmt="PNG"))
        )

        self.assertContains(response, "Das Bild ist 310×250 px groß")
        self.assertContains(response, "genau das Doppelte (600×500 px)")
        self.assertFalse(Campaign.objects.exists())

    def test_an_image_over_the_weight_budget_is_refused(self):
        noise = Image.frombytes("RGB", (600, 500), os.urandom(600 * 500 * 3))
        buffer = BytesIO()
        noise.save(buffer, "PNG")
        heavy = SimpleUploadedFile("schwer.png", buffer.getvalue(), "image/png")

        response = self.post_campaign(self.creative_data(image=heavy))

        self.assertContains(response, "erlaubt sind höchstens 150 KB")
        self.assertFalse(Creative.objects.exists())

    def test_only_https_destinations_are_accepted(self):
        response = self.post_campaign(
            self.creative_data(target_url="http://example.org/unsicher")
        )

        self.assertContains(response, "Bitte eine sichere Adresse angeben")
        self.assertFalse(Creative.objects.exists())

    def test_script_and_data_destinations_are_refused_in_german(self):
        for target in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(document.cookie)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "https://example.org/\x00",
        ]:
            with self.subTest(target=target):
                response = self.post_campaign(self.creative_data(target_url=target))

                self.assertEqual(response.status_code, 200)
                errors = response.context["inline_admin_formsets"][0].formset.errors
                self.assertRegex(
                    " ".join(errors[0]["target_url"]),
                    "Bitte eine (gültige|sichere) Adresse|Nullzeichen",
                )
                self.assertFalse(Campaign.objects.exists())
                self.assertFalse(Creative.objects.exists())

    def test_alt_text_is_required(self):
        response = self.post_campaign(self.creative_data(alt_text=""))

        self.assertContains(response, "Dieses Feld ist zwingend erforderlich.")
        self.assertFalse(Creative.objects.exists())

    def test_native_creatives_need_a_headline_and_the_slot_ratio(self):
        response = self.post_campaign(
            self.creative_data(
                slots=[self.native.pk],
                image=image_file("n.png", size=(960, 500), fmt="PNG"),
            )
        )

        self.assertContains(response, "Native-Anzeigen brauchen eine Überschrift.")
        self.assertContains(response, "Seitenverhältnis 16 : 9")

    def test_an_end_before_the_start_is_a_form_error(self):
        response = self.post_campaign(
            ends_at_0=(timezone.localtime() - timedelta(days=3)).strftime("%d.%m.%Y")
        )

        self.assertContains(response, "Das Ende muss nach dem Beginn liegen.")
        self.assertFalse(Campaign.objects.exists())

    def test_pausing_takes_a_campaign_out_of_delivery_at_once(self):
        campaign = make_campaign()
        make_creative(slot=self.slot, campaign=campaign)
        self.assertEqual(len(current_snapshot().campaigns), 1)

        self.client.post(
            reverse("admin:ads_campaign_changelist"),
            {"action": "pause_campaigns", "_selected_action": [campaign.pk]},
        )

        self.assertEqual(current_snapshot().campaigns, ())


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = make_ad_manager()
        cls.slot = make_slot(key="header")
        cls.campaign = make_campaign(name="Lesesommer", impression_goal=1000)
        cls.creative = make_creative(slot=cls.slot, campaign=cls.campaign)
        for event, reason, times in [
            (AdEvent.SERVED, CountReason.COUNTED, 8),
            (AdEvent.VIEWABLE, CountReason.COUNTED, 6),
            (AdEvent.CLICK, CountReason.COUNTED, 2),
            (AdEvent.SERVED, CountReason.BOT, 3),
        ]:
            for _ in range(times):
                EventCount.objects.add(event, reason, cls.creative.pk, cls.slot.pk)
        EventCount.objects.add(AdEvent.CLICK, CountReason.INVALID)

    def setUp(self):
        self.client.force_login(self.manager)

    def test_report_shows_counts_rates_and_filtered_events(self):
        response = self.client.get(reverse("admin:ads_campaign_report"))

        self.assertContains(response, "Lesesommer")
        self.assertContains(
            response, '<td class="number">8</td><td class="number">6</td>'
        )
        self.assertContains(response, "75,0 %")
        self.assertContains(response, "25,0 %")
        self.assertContains(response, "<svg")
        self.assertContains(
            response,
            f'<td>Bot</td><td class="help">{REASON_EXPLANATIONS[CountReason.BOT]}</td>'
            '<td class="number">3</td>',
        )
        self.assertContains(response, "Auslieferung nach Plan")

    def test_report_offers_a_csv_export(self):
        response = self.client.get(
            reverse("admin:ads_campaign_report"),
            {"campaign": self.campaign.pk, "format": "csv"},
        )

        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertTrue(lines[0].startswith("Tag;Kampagne;Ausgeliefert;Sichtbar"))
        self.assertIn(";8;6;75,0;2;25,00;3;", lines[1])

    def test_report_by_slot_and_creative(self):
        for grouping, label in [("slot", str(self.slot)), ("creative", "Testmotiv")]:
            response = self.client.get(
                reverse("admin:ads_campaign_report"), {"grouping": grouping}
            )
            self.assertContains(response, label)

    def test_the_report_dates_read_the_german_way(self):
        today = timezone.localdate()

        default = self.client.get(reverse("admin:ads_campaign_report"))
        from_link = self.client.get(
            reverse("admin:ads_campaign_report"),
            {"start": "2026-05-01", "end": "2026-05-10"},
        )

        self.assertContains(default, f'value="{today:%d.%m.%Y}"')
        self.assertContains(from_link, 'value="01.05.2026"')
        self.assertContains(from_link, 'value="10.05.2026"')
        self.assertNotContains(from_link, 'value="2026-05-01"')

    def test_a_reversed_date_range_is_a_german_form_error(self):
        response = self.client.get(
            reverse("admin:ads_campaign_report"),
            {"start": "2026-05-10", "end": "2026-05-01"},
        )

        self.assertContains(response, "„Bis“ darf nicht vor „Von“ liegen.")

    def test_only_the_role_sees_the_report(self):
        self.client.force_login(
            get_user_model().objects.create(username="redaktion", is_staff=True)
        )

        response = self.client.get(reverse("admin:ads_campaign_report"))

        self.assertEqual(response.status_code, 403)


class PreviewLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = make_ad_manager()
        cls.slot = make_slot(key="header")
        cls.creative = make_creative(slot=cls.slot, alt_text="Sommerreise")
        cls.article = make_article(headline="Ein Artikel zur Probe")

    def setUp(self):
        self.client.force_login(self.manager)

    def post(self, article_address):
        return self.client.post(
            reverse("admin:ads_creative_preview", args=[self.creative.pk]),
            {"slot": self.slot.pk, "article": article_address},
        )

    def test_the_ad_manager_gets_a_signed_link_that_shows_the_preview(self):
        response = self.post(f"http://testserver{self.article.get_absolute_url()}")

        link = response.context["link"]
        self.client.logout()
        preview = self.client.get(link)
        self.assertContains(preview, "Ein Artikel zur Probe")
        self.assertContains(preview, 'alt="Sommerreise"')
        self.assertFalse(EventCount.objects.exists())

    def test_an_address_that_is_no_article_is_a_form_error(self):
        response = self.post("/gibt-es/nicht/")

        self.assertContains(response, "Unter dieser Adresse steht kein")

    def test_an_ad_free_article_cannot_be_previewed(self):
        sensitive = make_article(is_ad_free=True)

        response = self.post(sensitive.get_absolute_url())

        self.assertContains(response, "als „Keine Werbung“ markiert")
