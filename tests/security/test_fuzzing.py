"""Every public route, asked with hostile paths and query parameters,
answers without a server error or a stack trace; a refusal is German or
empty."""

import re
from urllib.parse import quote_from_bytes, urlencode

from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from ads.counting import issue_token
from ads.views import preview_token
from articles.models import PreviewLink
from fronts.models import FrontPreviewLink
from galleries.models import picture_url
from tests.factories import (
    image_file,
    make_article,
    make_author,
    make_creative,
    make_draft,
    make_editor,
    make_entry,
    make_gallery,
    make_page,
    make_section,
    make_slot,
    make_ticker,
)
from tests.fronts.factories import make_block, make_version

# What a reader or a robot may type into a path segment.
HOSTILE_SEGMENTS = [
    "x" * 5000,
    "ü€𝄞\u202e\ufeff",
    "%00",
    "a%00b",
    "%2F",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "../../../../etc/passwd",
    "..%5C..%5Cwindows",
    "%C0%AE%C0%AE%2F",
    "%FF%FE%FD",
    "-1",
    "0",
    "9" * 30,
    str(2**63),
    str(2**64 + 1),
    "1e309",
    "NaN",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%22%27%60",
    "%0D%0ASet-Cookie:%20x=1",
    "%25",
    "%",
    ";jsessionid=1",
]
# Query parameters every view might read, with values that are not what
# our own links ever carry.
HOSTILE_QUERIES = [
    {"vor": "garbage"},
    {"vor": f"{9 * 10**30}-1"},
    {"vor": f"1-{2**63}"},
    {"vor": f"{2**63}-{2**64}"},
    {"vor": "-5--7"},
    {"vor": "1700000000000000-"},
    {"nach": "ZXZpbA==-MQ=="},
    {"nach": f"0-{10**40}"},
    {"nach": "1\x00-2"},
    {"vor": "1-1", "nach": "2-2", "page": "3"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "9" * 40},
    {"page": "abc"},
    {"page": ["1", "2"]},
    {"q": "x" * 10_000},
    {"q": "\x00"},
    {"q": "Haus\x00halt"},
    {"q": "\x01\x02\x1b[31m\x7f"},
    {"q": "' OR 1=1 --"},
    {"q": "&|!():*<->"},
    {"q": "%"},
    {"q": ["a", "b"]},
    {"von": "2026-13-45", "bis": "0000-00-00", "nach": "nichts"},
    {"von": "9" * 30, "bis": "-1"},
    {"token": "x" * 5000},
    {"artikel": str(2**64)},
    {"served": "kein-token"},
    {"utm_source": "\x00"},
]
GERMAN = re.compile(
    r'lang="de"|ungültig|nicht|fehlt|Diese[rs]? |Bitte|keine?\b', re.IGNORECASE
)


def public_routes(patterns=None, prefix=""):
    """Every route outside the admin, with <name> where a value goes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        # A regular expression route (media files): one placeholder per group.
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).strip("^$")
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from public_routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


def fill(route, value):
    return re.sub(r"<[^>]+>", value, route)


class FuzzChecks:
    client_class = Client

    def setUp(self):
        super().setUp()
        self.client = Client(raise_request_exception=False)

    def problem(self, response):
        """What is wrong with the answer, or None."""
        if response.streaming:
            # Read to the end, which also closes the file: closing it here
            # would close the database connection of the test.
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        if response.status_code >= 500:
            return f"status {response.status_code}"
        if b"Traceback" in body or b"File &quot;" in body:
            return "stack trace"
        if 400 <= response.status_code < 500 and body:
            if not GERMAN.search(body.decode(errors="replace")):
                return f"{response.status_code} not in German: {body[:80]!r}"
        return None

    def problems(self, path, query=None):
        """Problems of the GET and HEAD answers, as (request, problem)."""
        found = []
        for method in ("get", "head"):
            response = getattr(self.client, method)(path, query or {})
            if problem := self.problem(response):
                found.append((f"{method.upper()} {path[:80]} {query}"[:200], problem))
        return found


def build_site():
    section = make_section(slug="politik")
    sub = make_section(slug="land", parent=section)
    author = make_author(slug="anna")
    article = make_article(
        section=sub,
        slug="haushalt",
        tags=["Haushalt"],
        authors=[author],
        image=image_file(size=(1200, 675)),
        image_alt="Bild",
        image_credit="Foto",
    )
    for _ in range(13):
        make_article(section=sub, tags=["Haushalt"], authors=[author])
    draft = make_draft(section=sub)
    slot = make_slot(key="header", width=728, height=90)
    creative = make_creative(slot=slot)
    page = make_page(title="Impressum", slug="impressum")
    ticker = make_ticker(make_article(section=sub))
    make_entry(ticker)
    version = make_version()
    make_block(version, placed=[article])
    return {
        "gallery": make_gallery(pictures=2, section=sub),
        "page": page,
        "ticker": ticker,
        "front_version": version,
        "article": article,
        "section": sub,
        "author": author,
        "draft": draft,
        "slot": slot,
        "creative": creative,
    }


def valid_urls(site):
    """One working address for every public route, by URL name."""
    article, creative, slot = site["article"], site["creative"], site["slot"]
    tag = article.tags.get()
    link = PreviewLink.objects.create(article=site["draft"])
    return {
        "articles:front_page": reverse("articles:front_page"),
        "pages:page": site["page"].get_absolute_url(),
        "articles:article_preview": reverse(
            "articles:article_preview", args=[site["draft"].pk]
        ),
        "articles:shared_preview": link.get_absolute_url(),
        "articles:author_detail": site["author"].get_absolute_url(),
        "articles:tag_detail": tag.get_absolute_url(),
        "articles:search": reverse("articles:search") + "?q=Haushalt",
        "readership:statistics": reverse("readership:statistics"),
        "readership:count_view": reverse("readership:count_view"),
        "readership:view_token": (
            f"{reverse('readership:view_token')}?artikel={article.pk}"
        ),
        "readership:staff_statistics": reverse("readership:staff_statistics"),
        "readership:staff_statistics_csv": reverse("readership:staff_statistics_csv"),
        "articles:feed": reverse("articles:feed"),
        "articles:feed_atom": reverse("articles:feed_atom"),
        "articles:tag_feed": reverse("articles:tag_feed", args=[tag.slug]),
        "articles:tag_feed_atom": reverse("articles:tag_feed_atom", args=[tag.slug]),
        "articles:section_feed": reverse(
            "articles:section_feed", args=[site["section"].path]
        ),
        "articles:section_feed_atom": reverse(
            "articles:section_feed_atom", args=[site["section"].path]
        ),
        "robots_txt": reverse("robots_txt"),
        "articles:article_detail": article.get_absolute_url(),
        "articles:section_detail": site["section"].get_absolute_url(),
        "ads:beacon": reverse("ads:beacon"),
        "ads:fill": (
            f"{reverse('ads:fill')}?slot={slot.key}&ressort={article.section.path}"
            f"&themen={tag.pk}"
        ),
        "ads:click": reverse("ads:click", args=[issue_token(creative.pk, slot.pk)]),
        "ads:preview": reverse(
            "ads:preview", args=[preview_token(creative, slot, article)]
        ),
        "sitemap": reverse("sitemap"),
        "news_sitemap": reverse("news_sitemap"),
        "sitemap_section": reverse("sitemap_section", args=["artikel"]),
        "media": article.image.url,
        "favicon": reverse("favicon"),
        "live:changes": reverse("live:changes", args=[site["ticker"].pk])
        + f"?seit={site['ticker'].revision}",
        "live:older_entries": reverse(
            "live:older_entries", args=[site["ticker"].pk, 1]
        ),
        "live:feed": reverse("live:feed", args=[site["ticker"].pk]),
        "galleries:picture_page": picture_url(site["gallery"], 2),
        "gallery_upload_picture": reverse(
            "gallery_upload_picture", args=[site["gallery"].pk]
        ),
        "fronts:preview": site["front_version"].get_absolute_url(),
        "fronts:shared_preview": FrontPreviewLink.objects.create(
            version=site["front_version"]
        ).get_absolute_url(),
    }


def url_names(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from url_names(
                    pattern.url_patterns,
                    f"{pattern.namespace}:" if pattern.namespace else namespace,
                )
        else:
            yield f"{namespace}{pattern.name or 'media'}"


class PathFuzzTests(FuzzChecks, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build_site()

    def test_every_public_route_has_a_working_address_here(self):
        """The lists below cover every route: a new one must be added."""
        self.assertEqual(set(url_names()), set(valid_urls(self.site)))

    def test_hostile_path_segments_on_every_route(self):
        found = [
            problem
            for route in public_routes()
            for segment in HOSTILE_SEGMENTS
            for problem in self.problems(fill(route, segment))
        ]

        self.assertEqual(found, [])

    def test_hostile_query_parameters_on_every_route(self):
        found = [
            problem
            for url in valid_urls(self.site).values()
            for query in HOSTILE_QUERIES
            for problem in self.problems(url, query)
        ]

        self.assertEqual(found, [])

    def test_hostile_queries_as_a_staff_member(self):
        """Staff see previews and the newsroom statistics: fuzzed too."""
        self.client.force_login(make_editor())

        found = [
            problem
            for url in valid_urls(self.site).values()
            for query in HOSTILE_QUERIES
            for problem in self.problems(url, query)
        ]

        self.assertEqual(found, [])

    def test_posting_to_a_page_that_is_only_read_is_not_allowed(self):
        # Logged in, so that staff pages get as far as the method.
        self.client.force_login(make_editor())
        posted_to = {"readership:count_view", "ads:beacon", "gallery_upload_picture"}
        for name, url in valid_urls(self.site).items():
            if name in posted_to:
                continue
            response = self.client.post(url, {"q": "x"})

            self.assertEqual(response.status_code, 405, name)


class GeneratedFuzzTests(FuzzChecks, HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build_site()
        cls.routes = list(public_routes())
        cls.urls = list(valid_urls(cls.site).values())

    @settings(max_examples=60, deadline=None)
    @given(st.data(), st.binary(max_size=40))
    def test_random_bytes_in_a_path_segment(self, data, raw):
        route = data.draw(st.sampled_from(self.routes))

        self.assertEqual(self.problems(fill(route, quote_from_bytes(raw, safe=""))), [])

    @settings(max_examples=60, deadline=None)
    @given(
        st.data(),
        st.dictionaries(
            st.sampled_from(["vor", "nach", "page", "q", "token", "von", "bis"])
            | st.text(max_size=5),
            st.binary(max_size=60).map(lambda raw: raw.decode("latin-1")),
            max_size=3,
        ),
    )
    def test_random_query_parameters(self, data, query):
        url = data.draw(st.sampled_from(self.urls))

        self.assertEqual(
            self.problems(url + ("&" if "?" in url else "?") + urlencode(query)), []
        )
