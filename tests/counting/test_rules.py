"""Which requests count: the rules the view and ad beacons share."""

from datetime import timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone

from counting import rules

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


class RulesTestCase(TestCase):
    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def request(self, user=None, **headers):
        headers.setdefault("HTTP_USER_AGENT", BROWSER)
        request = RequestFactory().post("/", **headers)
        request.user = user or AnonymousUser()
        return request


class WhyNotCountedTests(RulesTestCase):
    def why(self, request, limit=100):
        return rules.why_not_counted(request, "test", limit)

    def test_a_reader_counts(self):
        self.assertIsNone(self.why(self.request()))

    def test_bots_on_the_maintained_list_and_nameless_agents_do_not_count(self):
        for agent in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36",
            "facebookexternalhit/1.1",
            "curl/8.5.0",
            "python-requests/2.31",
            "",
            "   ",
        ]:
            with self.subTest(agent=agent):
                request = self.request(HTTP_USER_AGENT=agent)

                self.assertEqual(self.why(request), rules.BOT)

    def test_a_request_without_any_user_agent_is_a_bot(self):
        request = self.request()
        del request.META["HTTP_USER_AGENT"]

        self.assertEqual(self.why(request), rules.BOT)

    def test_signed_in_staff_do_not_count_but_other_signed_in_readers_do(self):
        users = get_user_model().objects
        staff = users.create(username="redaktion", is_staff=True)
        reader = users.create(username="leserin")

        self.assertEqual(self.why(self.request(user=staff)), rules.STAFF)
        self.assertIsNone(self.why(self.request(user=reader)))

    def test_prefetches_and_prerenders_do_not_count(self):
        for header, value in [
            ("HTTP_SEC_PURPOSE", "prefetch;prerender"),
            ("HTTP_SEC_PURPOSE", "prefetch"),
            ("HTTP_PURPOSE", "prefetch"),
            ("HTTP_X_PURPOSE", "preview"),
            ("HTTP_X_MOZ", "prefetch"),
        ]:
            with self.subTest(header=header, value=value):
                self.assertEqual(
                    self.why(self.request(**{header: value})), rules.PREFETCH
                )

    def test_beyond_the_limit_an_address_is_rate_limited(self):
        answers = [self.why(self.request(), limit=3) for _ in range(5)]

        self.assertEqual(answers, [None] * 3 + [rules.RATE_LIMITED] * 2)

    def test_requests_that_do_not_count_leave_the_limit_alone(self):
        for _ in range(5):
            self.why(self.request(HTTP_USER_AGENT="curl/8.5.0"), limit=1)

        self.assertIsNone(self.why(self.request(), limit=1))


class RateLimitTests(RulesTestCase):
    def limited(self, scope="test", limit=1, **headers):
        return rules.is_rate_limited(self.request(**headers), scope, limit)

    def test_each_address_and_scope_has_its_own_limit(self):
        self.assertEqual([self.limited(), self.limited()], [False, True])

        self.assertFalse(self.limited(REMOTE_ADDR="203.0.113.9"))
        self.assertFalse(self.limited(scope="other"))

    def test_the_limit_starts_anew_each_minute(self):
        self.limited()
        next_minute = timezone.now() + timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=next_minute):
            self.assertFalse(self.limited())

    def test_the_address_is_not_kept_in_the_cache_key(self):
        with mock.patch.object(cache, "add", wraps=cache.add) as add:
            self.limited(REMOTE_ADDR="203.0.113.7")

        self.assertNotIn("203.0.113", add.call_args.args[0])


class ClientIpTests(RulesTestCase):
    def test_without_our_proxy_a_forwarded_address_is_ignored(self):
        request = self.request(
            REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.1"
        )

        self.assertEqual(rules.client_ip(request), "192.0.2.1")

    @override_settings(BEHIND_PROXY=True)
    def test_behind_our_proxy_the_address_it_saw_counts(self):
        # nginx appends the address it saw; what the client wrote further
        # left does not matter.
        request = self.request(
            REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.3"
        )

        self.assertEqual(rules.client_ip(request), "198.51.100.3")

    @override_settings(BEHIND_PROXY=True)
    def test_behind_our_proxy_without_the_header_the_peer_counts(self):
        request = self.request(REMOTE_ADDR="10.0.0.1")

        self.assertEqual(rules.client_ip(request), "10.0.0.1")
