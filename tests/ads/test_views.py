from datetime import UTC, datetime, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ads.counting import SINGLE_AD_SALT, TOKEN_SALT, issue_token, issue_tokens
from ads.models import AdEvent, CountReason, EventCount
from ads.views import preview_token
from counting.models import SpentToken
from tests.factories import make_article, make_creative, make_slot

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)


def counts(**filters):
    """{(event, reason): count} of the stored buckets."""
    result = {}
    for row in EventCount.objects.filter(**filters):
        key = (row.event, row.reason)
        result[key] = result.get(key, 0) + row.count
    return result


class CountingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.slot = make_slot(key="header")
        cls.creative = make_creative(
            slot=cls.slot, target_url="https://example.org/ziel?kampagne=1"
        )

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)
        self.token = issue_token(self.creative.pk, self.slot.pk)

    def beacon(self, data, **headers):
        headers.setdefault("HTTP_USER_AGENT", BROWSER)
        return self.client.post(reverse("ads:beacon"), data, **headers)

    def click(self, token=None, **headers):
        headers.setdefault("HTTP_USER_AGENT", BROWSER)
        return self.client.get(
            reverse("ads:click", kwargs={"token": token or self.token}), **headers
        )


class BeaconTests(CountingTestCase):
    def test_served_and_viewable_count_once_each_per_ad_shown(self):
        for _ in range(3):
            response = self.beacon({"served": self.token, "viewable": self.token})

        self.assertEqual(response.status_code, 204)
        self.assertEqual(
            counts(creative=self.creative, slot=self.slot),
            {
                (AdEvent.SERVED, CountReason.COUNTED): 1,
                (AdEvent.VIEWABLE, CountReason.COUNTED): 1,
                (AdEvent.SERVED, CountReason.REPEAT): 2,
                (AdEvent.VIEWABLE, CountReason.REPEAT): 2,
            },
        )

    def test_each_ad_on_a_page_counts_for_itself(self):
        other = issue_token(self.creative.pk, self.slot.pk)

        self.beacon({"served": [self.token, other]})

        self.assertEqual(counts(), {(AdEvent.SERVED, CountReason.COUNTED): 2})

    def test_the_ads_of_one_page_view_share_a_token_and_count_apart(self):
        header, article_end = issue_tokens(
            [(self.creative.pk, self.slot.pk), (self.creative.pk, self.slot.pk)]
        )

        self.beacon({"served": [header, article_end, header]})

        self.assertEqual(header.rpartition(".")[0], article_end.rpartition(".")[0])
        self.assertEqual(
            counts(),
            {
                (AdEvent.SERVED, CountReason.COUNTED): 2,
                (AdEvent.SERVED, CountReason.REPEAT): 1,
            },
        )

    def test_an_ad_place_written_otherwise_or_not_on_the_page_is_invalid(self):
        page = self.token.rpartition(".")[0]
        self.beacon({"served": self.token})

        self.beacon({"served": [f"{page}.00", f"{page}.1", f"{page}.x", page]})

        self.assertEqual(
            counts(),
            {
                (AdEvent.SERVED, CountReason.COUNTED): 1,
                (AdEvent.SERVED, CountReason.INVALID): 4,
            },
        )

    def test_a_token_issued_for_a_single_ad_before_pages_shared_one_still_counts(self):
        earlier = signing.dumps(
            [self.creative.pk, self.slot.pk, "nonce"], salt=SINGLE_AD_SALT
        )

        self.beacon({"served": [earlier, earlier]})
        click = self.click(earlier)

        self.assertEqual(click.status_code, 302)
        self.assertEqual(
            counts(),
            {
                (AdEvent.SERVED, CountReason.COUNTED): 1,
                (AdEvent.SERVED, CountReason.REPEAT): 1,
                (AdEvent.CLICK, CountReason.COUNTED): 1,
            },
        )

    def test_counts_go_into_hourly_buckets_in_utc(self):
        moment = datetime(2026, 3, 29, 1, 30, 12, tzinfo=UTC)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            self.beacon({"served": self.token})

        bucket = EventCount.objects.get()
        self.assertEqual(bucket.hour, datetime(2026, 3, 29, 1, 0, tzinfo=UTC))

    def test_known_bots_are_recorded_but_not_counted(self):
        for agent in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/130.0.0.0 Safari/537.36",
            "",
        ]:
            self.beacon(
                {"served": issue_token(self.creative.pk, self.slot.pk)},
                HTTP_USER_AGENT=agent,
            )

        self.assertEqual(counts(), {(AdEvent.SERVED, CountReason.BOT): 3})

    def test_a_bot_does_not_use_up_the_token(self):
        self.beacon({"served": self.token}, HTTP_USER_AGENT="curl/8.5.0")
        self.beacon({"served": self.token})

        self.assertEqual(
            counts(),
            {
                (AdEvent.SERVED, CountReason.BOT): 1,
                (AdEvent.SERVED, CountReason.COUNTED): 1,
            },
        )

    def test_logged_in_staff_is_recorded_but_not_counted(self):
        self.client.force_login(
            get_user_model().objects.create(username="anzeigen", is_staff=True)
        )

        self.beacon({"served": self.token})

        self.assertEqual(counts(), {(AdEvent.SERVED, CountReason.STAFF): 1})

    def test_logged_in_readers_who_are_not_staff_count(self):
        self.client.force_login(get_user_model().objects.create(username="leserin"))

        self.beacon({"served": self.token})

        self.assertEqual(counts(), {(AdEvent.SERVED, CountReason.COUNTED): 1})

    def test_prerendered_pages_are_recorded_as_prefetches(self):
        self.beacon({"served": self.token}, HTTP_SEC_PURPOSE="prefetch;prerender")

        self.assertEqual(counts(), {(AdEvent.SERVED, CountReason.PREFETCH): 1})

    def test_forged_tokens_are_recorded_as_invalid(self):
        forged = signing.dumps([self.creative.pk, self.slot.pk, "x"], salt="falsch")

        self.beacon({"served": [forged, self.token.replace(".0", "xx.0"), "Unsinn"]})

        self.assertEqual(counts(), {(AdEvent.SERVED, CountReason.INVALID): 3})

    def test_expired_tokens_are_recorded_as_expired(self):
        yesterday = timezone.now() - timedelta(hours=25)
        with mock.patch(
            "django.core.signing.time.time", return_value=yesterday.timestamp()
        ):
            old = issue_token(self.creative.pk, self.slot.pk)

        self.beacon({"viewable": old})

        self.assertEqual(
            counts(creative=self.creative),
            {(AdEvent.VIEWABLE, CountReason.EXPIRED): 1},
        )

    def test_bursts_beyond_what_a_reader_makes_are_rate_limited(self):
        with mock.patch("ads.counting.RATE_LIMIT_EVENTS", 3):
            answers = [
                self.beacon(
                    {"served": issue_token(self.creative.pk, self.slot.pk)}
                ).status_code
                for _ in range(5)
            ]

        self.assertEqual(answers, [204, 204, 204, 429, 429])
        self.assertEqual(
            counts(),
            {
                (AdEvent.SERVED, CountReason.COUNTED): 3,
                (AdEvent.SERVED, CountReason.RATE_LIMITED): 2,
            },
        )

    def test_clicks_cannot_be_sent_as_a_beacon(self):
        response = self.beacon({"click": self.token})

        self.assertEqual(response.status_code, 400)
        self.assertEqual(counts(), {})

    def test_empty_or_oversized_beacons_are_refused(self):
        self.assertEqual(self.beacon({}).status_code, 400)
        self.assertEqual(self.beacon({"served": [self.token] * 21}).status_code, 400)
        self.assertEqual(counts(), {})

    def test_only_post_is_accepted(self):
        response = self.client.get(reverse("ads:beacon"))

        self.assertEqual(response.status_code, 405)

    def test_counting_stores_no_cookie_address_or_browser(self):
        response = self.beacon(
            {"served": self.token}, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=BROWSER
        )

        self.assertEqual(response.cookies, {})
        stored = [
            str(value)
            for model in (EventCount, SpentToken)
            for row in model.objects.values()
            for value in row.values()
        ]
        self.assertFalse([value for value in stored if "203.0.113" in value])
        self.assertFalse([value for value in stored if "Chrome" in value])


class ClickTests(CountingTestCase):
    def test_a_click_lands_on_the_stored_target_and_counts_once(self):
        first = self.click()
        second = self.click()

        self.assertRedirects(
            first, "https://example.org/ziel?kampagne=1", fetch_redirect_response=False
        )
        self.assertEqual(second.status_code, 302)
        self.assertEqual(first["Referrer-Policy"], "origin")
        self.assertEqual(
            counts(),
            {
                (AdEvent.CLICK, CountReason.COUNTED): 1,
                (AdEvent.CLICK, CountReason.REPEAT): 1,
            },
        )

    def test_a_tampered_token_gets_a_400_and_no_redirect(self):
        payload = signing.dumps([self.creative.pk, self.slot.pk, "n"], salt=TOKEN_SALT)
        tampered = payload.replace(payload.split(":")[0], "W10") + ".0"

        response = self.click(tampered)

        self.assertEqual(response.status_code, 400)
        self.assertFalse(response.has_header("Location"))
        self.assertEqual(counts(), {(AdEvent.CLICK, CountReason.INVALID): 1})

    def test_a_token_cannot_carry_its_own_target(self):
        other_site = (
            signing.dumps(["https://boese.example/", 1, "n"], salt=TOKEN_SALT) + ".0"
        )

        response = self.click(other_site)

        self.assertEqual(response.status_code, 400)

    def test_an_expired_token_gets_a_404(self):
        yesterday = timezone.now() - timedelta(hours=25)
        with mock.patch(
            "django.core.signing.time.time", return_value=yesterday.timestamp()
        ):
            old = issue_token(self.creative.pk, self.slot.pk)

        response = self.click(old)

        self.assertEqual(response.status_code, 404)
        self.assertEqual(counts(), {(AdEvent.CLICK, CountReason.EXPIRED): 1})

    def test_a_deleted_creative_gets_a_400(self):
        gone = issue_token(self.creative.pk + 1000, self.slot.pk)

        response = self.click(gone)

        self.assertEqual(response.status_code, 400)

    def test_a_prefetched_click_is_not_counted_and_not_forwarded(self):
        prefetch = self.click(HTTP_SEC_PURPOSE="prefetch")
        real = self.click()

        self.assertEqual(prefetch.status_code, 503)
        self.assertEqual(real.status_code, 302)
        self.assertEqual(
            counts(),
            {
                (AdEvent.CLICK, CountReason.PREFETCH): 1,
                (AdEvent.CLICK, CountReason.COUNTED): 1,
            },
        )

    def test_a_bot_following_the_link_is_forwarded_but_not_counted(self):
        response = self.click(HTTP_USER_AGENT="Slackbot-LinkExpanding 1.0")

        self.assertEqual(response.status_code, 302)
        self.assertEqual(counts(), {(AdEvent.CLICK, CountReason.BOT): 1})


class PreviewTests(CountingTestCase):
    def test_preview_shows_the_creative_in_the_slot_without_counting(self):
        article = make_article(headline="Vorschau-Artikel")
        other = make_creative(slot=make_slot(key="article-end-1"), alt_text="Andere")
        url = reverse(
            "ads:preview",
            kwargs={"token": preview_token(self.creative, self.slot, article)},
        )

        response = self.client.get(url)

        self.assertContains(response, "Vorschau-Artikel")
        self.assertContains(response, 'data-ad-slot="header"')
        self.assertContains(response, 'href="https://example.org/ziel?kampagne=1"')
        self.assertContains(response, "wird nicht gezählt")
        self.assertNotContains(response, "data-ad-token")
        self.assertNotContains(response, "ads.js")
        self.assertNotContains(response, f'alt="{other.alt_text}"')
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        self.assertEqual(counts(), {})

    def test_a_forged_preview_link_gets_a_400(self):
        url = reverse("ads:preview", kwargs={"token": "abc:def"})

        self.assertEqual(self.client.get(url).status_code, 400)
