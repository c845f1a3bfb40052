"""Every address refuses a state-changing request without a CSRF token.

The test walks all URL patterns, so a view added later is covered without
being listed; only the exemptions below may accept such a request.
"""

import re

from django.http import HttpResponseForbidden
from django.test import Client, TestCase, override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse

from ads.models import AdEvent, CountReason, EventCount
from tests.ads.test_views import BROWSER
from tests.factories import make_editor, make_slot

# Views that take POSTs without a CSRF token, and why that is safe.
CSRF_EXEMPT = {
    # Sent by static/ads/ads.js from cached pages, which can't carry a CSRF
    # token; each event instead needs a signed, single-use ad token
    # (ads.counting), so a forged request counts nothing.
    "ads:beacon",
    # Sent by static/js/article-views.js from cached pages; it reads no
    # cookie and needs the signed, single-use view token of one page view
    # (readership.tokens), so a forged request counts nothing.
    "readership:count_view",
}
UNSAFE_METHODS = ("post", "put", "patch", "delete")
# Sample values for the parameters of each pattern.
CONVERTER_SAMPLES = {"int": "1", "section_path": "politik"}
GROUP_SAMPLES = {"app_label": "articles"}
REFUSED = "X-Csrf-Refused"


def refused(request, reason=""):
    """Stands in for Django's CSRF failure page, recognisable by a header."""
    return HttpResponseForbidden(headers={REFUSED: reason})


def all_routes(patterns=None, prefix=""):
    """The route of every URL pattern of the project, prefixes included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        # Joined as ResolverMatch.route joins them: without the inner ^.
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            yield from all_routes(pattern.url_patterns, route)
        else:
            yield route


def sample_url(route):
    """A path that `route` matches, with sample values for its parameters."""
    # Regex groups first: their names look like path converters.
    path = re.sub(
        r"\((?:\?P<(\w+)>)?[^)]*\)",
        lambda match: GROUP_SAMPLES.get(match.group(1), "1"),
        route,
    )
    path = re.sub(
        r"<(?:(\w+):)?\w+>",
        lambda match: CONVERTER_SAMPLES.get(match.group(1), "x"),
        path,
    )
    return "/" + path.replace("$", "")


def view_name(match):
    return ":".join([*match.namespaces, match.url_name or ""])


@override_settings(CSRF_FAILURE_VIEW="tests.test_csrf.refused")
class CsrfTests(TestCase):
    def setUp(self):
        self.client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
        self.client.force_login(make_editor())
        # A signed-in browser has the CSRF cookie; only the token is missing.
        self.client.get(reverse("admin:index"))

    def routes(self):
        for route in all_routes():
            url = sample_url(route)
            match = resolve(url)
            self.assertEqual(
                match.route.removeprefix("^"), route, f"{url} reaches another pattern"
            )
            yield url, view_name(match)

    def test_every_state_changing_request_without_a_token_is_refused(self):
        for url, name in self.routes():
            if name in CSRF_EXEMPT:
                continue
            for method in UNSAFE_METHODS:
                with self.subTest(url=url, method=method):
                    response = getattr(self.client, method)(url)

                    self.assertEqual(response.status_code, 403)
                    self.assertIn(REFUSED, response)

    def test_the_walk_reaches_the_admin_and_the_exemptions(self):
        names = {name for _, name in self.routes()}

        self.assertLessEqual(CSRF_EXEMPT, names)
        self.assertIn("admin:articles_article_change", names)
        self.assertIn("admin:ads_creative_preview", names)
        self.assertIn("admin:logout", names)
        self.assertIn("articles:search", names)

    def test_exempt_views_are_the_only_ones_accepting_tokenless_posts(self):
        for url, name in self.routes():
            if name in CSRF_EXEMPT:
                with self.subTest(name):
                    response = self.client.post(url)

                    self.assertNotIn(REFUSED, response)

    def test_the_ad_beacon_counts_nothing_without_a_valid_ad_token(self):
        make_slot(key="header")

        response = self.client.post(
            reverse("ads:beacon"), {"served": "gefälscht", "viewable": "1:2:3"}
        )

        self.assertEqual(response.status_code, 204)
        self.assertFalse(EventCount.objects.filter(reason=CountReason.COUNTED).exists())
        self.assertEqual(
            set(EventCount.objects.values_list("event", "reason")),
            {
                (AdEvent.SERVED, CountReason.INVALID),
                (AdEvent.VIEWABLE, CountReason.INVALID),
            },
        )
