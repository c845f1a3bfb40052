import re
from collections import Counter

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Template
from django.templatetags.static import static
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.views.decorators.cache import cache_page

from ads.counting import read_token
from ads.models import AdSlot
from articles.views import ArticleDetailView
from pagecache import finishers
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

# The site with its article pages behind Django's own page cache.
urlpatterns = [
    path("anzeigen/", include("ads.urls")),
    path(
        "zwischengespeichert/<path:section_path>/<slug:slug>/",
        cache_page(300)(ArticleDetailView.as_view()),
        name="cached_article",
    ),
    path("statistik/", include("readership.urls")),
    path("", include("articles.urls")),
]

PARAGRAPHS = "".join(f"<p>Absatz {n}.</p>" for n in range(1, 7))


def tokens(html):
    return re.findall(r'data-ad-token="([^"]+)"', html)


class AdSlotRenderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.politik = make_section(name="Politik", slug="politik")
        cls.article = make_article(section=cls.politik, body=PARAGRAPHS)
        cls.header = make_slot(
            key="header",
            width=728,
            height=90,
            mobile_width=320,
            mobile_height=50,
            is_below_fold=False,
        )
        cls.end = make_slot(key="article-end-1")
        cls.header_ad = make_creative(
            slot=cls.header,
            alt_text="Frühbucher-Rabatt",
            target_url="https://example.org/a",
        )
        cls.end_ad = make_creative(slot=cls.end, alt_text="Herbstmesse")

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def get(self, article=None):
        return self.client.get((article or self.article).get_absolute_url())

    def test_every_ad_is_labelled_by_the_slot_template(self):
        response = self.get()

        self.assertContains(response, '<p class="ad-slot__label">Anzeige</p>', count=2)
        self.assertContains(response, 'alt="Frühbucher-Rabatt"')
        self.assertContains(response, 'rel="sponsored noopener"')

    def test_the_box_comes_from_the_slot_size_for_each_breakpoint(self):
        html = self.get().content.decode()

        self.assertIn('width="728" height="90">', html)
        self.assertNotIn("<source", html)
        self.header_ad.mobile_image = image_file("m.png", size=(640, 100), fmt="PNG")
        self.header_ad.save()
        cache.clear()
        html = self.get().content.decode()
        self.assertRegex(
            html,
            r'<source media="\(max-width: 39.99em\)" srcset="[^"]+" width="320" height="50">',
        )

    def test_slots_below_the_fold_load_lazily(self):
        html = self.get().content.decode()

        header = re.search(r'data-ad-slot="header".*?</aside>', html, re.S).group()
        end = re.search(r'data-ad-slot="article-end-1".*?</aside>', html, re.S).group()
        self.assertNotIn('loading="lazy"', header)
        self.assertIn('loading="lazy"', end)

    def test_links_go_through_a_signed_click_token_not_to_the_target(self):
        html = self.get().content.decode()

        self.assertNotIn('href="https://example.org/a"', html)
        token = tokens(html)[0]
        self.assertIn(f'href="{reverse("ads:click", kwargs={"token": token})}"', html)
        self.assertEqual(read_token(token).ids[0], self.header_ad.pk)

    def test_the_ads_of_a_page_view_share_one_signed_token(self):
        html = self.get().content.decode()

        shown = re.findall(r'data-ad-slot="([^"]+)" data-ad-token="([^"]+)"', html)
        self.assertGreater(len(shown), 1)
        self.assertEqual(len({token.rpartition(".")[0] for _, token in shown}), 1)
        self.assertEqual(
            {
                key: AdSlot.objects.get(pk=read_token(token).ids[1]).key
                for key, token in shown
            },
            {key: key for key, _ in shown},
        )

    def test_the_counting_script_comes_once_from_our_own_host(self):
        html = self.get().content.decode()

        self.assertEqual(html.count(static("ads/ads.js")), 1)
        self.assertIn(f'data-endpoint="{reverse("ads:beacon")}"', html)
        self.assertNotRegex(html, r'src="https?://')

    def test_an_empty_slot_leaves_no_trace(self):
        html = self.get().content.decode()

        self.assertNotIn('data-ad-slot="article-end-2"', html)
        self.assertNotIn('data-ad-slot="article-inline"', html)
        self.assertNotIn("newsroom-ad", html)

    def test_an_ad_free_article_shows_no_ad_at_all(self):
        sensitive = make_article(section=self.politik, is_ad_free=True, body=PARAGRAPHS)

        html = self.get(sensitive).content.decode()

        self.assertNotIn("ad-slot", html)
        self.assertNotIn("Anzeige", html)
        self.assertNotIn("ads.js", html)

    def test_inline_slot_sits_inside_the_body_of_a_long_article(self):
        make_creative(slot=make_slot(key="article-inline"), alt_text="Mitten im Text")

        html = self.get().content.decode()

        order = [
            html.index(needle)
            for needle in (
                'class="article__body"',
                "Absatz 3.",
                'data-ad-slot="article-inline"',
                "Absatz 4.",
            )
        ]
        self.assertEqual(order, sorted(order))

    def test_rendering_a_page_writes_nothing_to_the_database(self):
        with CaptureQueriesContext(connection) as queries:
            self.get()

        writes = [
            q["sql"]
            for q in queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        self.assertEqual(writes, [])

    def test_filled_slots_add_no_query_once_the_campaigns_are_cached(self):
        bare = make_article(section=make_section(), body=PARAGRAPHS)
        self.get()

        with CaptureQueriesContext(connection) as with_ads:
            self.get()
        self.header_ad.campaign.creatives.update(is_active=False)
        self.end_ad.campaign.creatives.update(is_active=False)
        cache.clear()
        self.get(bare)
        with CaptureQueriesContext(connection) as without_ads:
            self.get(bare)

        self.assertEqual(len(with_ads), len(without_ads))

    def test_the_page_sets_no_cookie(self):
        response = self.get()

        self.assertEqual(response.cookies, {})


class SponsoredCardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section()
        cls.article = make_article(section=cls.section, tags=["Island"])
        cls.native = make_native_slot()
        campaign = make_campaign(advertiser=make_advertiser(name="Reisebüro Nordlicht"))
        make_creative(
            slot=cls.native, campaign=campaign, headline="Zwölf Tage im Norden"
        )

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def related_block(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        return html[html.index('class="related"') :]

    def test_sponsored_card_takes_the_fourth_place_with_label_and_advertiser(self):
        for n in range(4):
            make_article(
                section=self.section, headline=f"Empfehlung {n}", tags=["Island"]
            )

        block = self.related_block()

        self.assertEqual(block.count('class="card"'), 3)
        self.assertEqual(block.count("card--sponsored"), 1)
        self.assertIn("Anzeige</span> · Reisebüro Nordlicht", block)
        self.assertIn("Zwölf Tage im Norden", block)
        self.assertNotIn("Empfehlung 0", block)

    def test_with_three_recommendations_the_card_comes_fourth(self):
        for n in range(3):
            make_article(
                section=self.section, headline=f"Empfehlung {n}", tags=["Island"]
            )

        block = self.related_block()

        self.assertEqual(block.count('class="card"'), 3)
        self.assertEqual(block.count("card--sponsored"), 1)

    def test_never_fewer_than_three_editorial_recommendations(self):
        for n in range(2):
            make_article(
                section=self.section, headline=f"Empfehlung {n}", tags=["Island"]
            )

        block = self.related_block()

        self.assertEqual(block.count('class="card"'), 2)
        self.assertNotIn("card--sponsored", block)

    def test_without_a_sponsor_the_fourth_recommendation_stays(self):
        self.native.is_active = False
        self.native.save()
        for n in range(4):
            make_article(
                section=self.section, headline=f"Empfehlung {n}", tags=["Island"]
            )

        block = self.related_block()

        self.assertEqual(block.count('class="card"'), 4)


@override_settings(ROOT_URLCONF="tests.ads.test_middleware")
class CachedPageTests(TestCase):
    """Pages served from a cache still get a fresh choice and fresh tokens."""

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def test_the_choice_of_ad_does_not_freeze_in_a_cached_page(self):
        slot = make_slot(key="header")
        first, second = make_campaign(), make_campaign()
        make_creative(slot=slot, campaign=first)
        make_creative(slot=slot, campaign=second)
        article = make_article()
        url = reverse(
            "cached_article",
            kwargs={"section_path": article.section.path, "slug": article.slug},
        )

        pages = [self.client.get(url).content.decode() for _ in range(30)]

        page_tokens = [tokens(html)[0] for html in pages]
        self.assertEqual(len(set(page_tokens)), 30)
        campaigns = Counter(
            {first.creatives.get().pk: first.pk, second.creatives.get().pk: second.pk}[
                read_token(token).ids[0]
            ]
            for token in page_tokens
        )
        self.assertEqual(set(campaigns), {first.pk, second.pk})


class PlaceholderTests(TestCase):
    def test_without_the_middleware_a_slot_is_only_a_comment(self):
        html = Template('{% load ads %}{% ad_slot "header" %}').render(Context({}))

        self.assertTrue(html.startswith("<!--newsroom-ad slot=header "))
        self.assertTrue(html.endswith("<!--/newsroom-ad-->"))

    def test_middleware_leaves_other_responses_alone(self):
        response = HttpResponse(
            b"<!--newsroom-ad slot=header-->", content_type="text/plain"
        )

        self.assertIs(finishers.finish(None, response), response)
        self.assertEqual(response.content, b"<!--newsroom-ad slot=header-->")


class ArticlePageQueryCountTests(TestCase):
    """Filling every slot of the article page costs no query of its own."""

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def build(self, with_ads):
        section = make_section()
        article = make_article(section=section, body=PARAGRAPHS, tags=["Klima"])
        for _ in range(4):
            make_article(section=section, tags=["Klima"])
        if with_ads:
            for key in ["header", "article-inline", "article-end-1", "article-end-2"]:
                make_creative(slot=make_slot(key=key))
            make_creative(slot=make_native_slot())
            cache.clear()
        return article.get_absolute_url()

    def count_queries(self, url):
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        return response, len(queries)

    def test_every_slot_filled_costs_no_extra_query(self):
        without, bare = self.count_queries(self.build(with_ads=False))
        full, filled = self.count_queries(self.build(with_ads=True))

        self.assertEqual(full.content.decode().count('class="ad-slot__label"'), 4)
        self.assertContains(full, "card--sponsored")
        self.assertEqual(filled, bare)
        self.assertLessEqual(filled, 10)
