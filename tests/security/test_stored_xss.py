"""Hostile text in every field a person can fill stays text on every page,
feed, sitemap and JSON-LD block that shows it."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace

from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from hypothesis import given, settings
from hypothesis.extra.django import TestCase as HypothesisTestCase

from ads.models import Advertiser, Campaign, Creative
from ads.views import preview_token
from articles.models import Article, Author, Correction, CorrectionKind, Section, Tag
from articles.text import sanitize_body, xml_text
from readership import services
from tests.factories import (
    image_file,
    make_advertiser,
    make_article,
    make_author,
    make_campaign,
    make_creative,
    make_editor,
    make_native_slot,
    make_section,
    make_slot,
    make_topic_box,
)

from .inert import (
    assert_inert_feed,
    assert_inert_html,
    html_text,
    html_texts_of_feed,
    local_name,
    parse_html,
)
from .payloads import XSS_PAYLOADS, storable, xss_text

# A word no payload contains, to find the article through the search.
SEARCH_WORD = "Zwiebelkuchen"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def build_site():
    """One article with everything around it that readers see: section and
    subsection, author, tag, lead image, a "Mehr zum Thema" box, a
    correction, neighbours for the related block, and ads in an image and a
    native slot."""
    parent = make_section(slug="hostil")
    section = make_section(slug="innen", parent=parent)
    author = make_author(slug="autorin-hostil")
    target = make_article(section=section)
    article = make_article(
        section=section,
        body=f"<p>{SEARCH_WORD} eins.</p><p>Zwei.</p><p>Drei.</p><p>Vier.</p>",
        image=image_file(size=(1200, 675)),
        image_alt="Alt",
        image_credit="Credit",
        authors=[author],
        tags=["Feldtest"],
    )
    make_topic_box(article, target, after_paragraph=1)
    for _ in range(2):
        make_article(section=section, tags=["Feldtest"])
    Correction.objects.create(
        article=article, kind=CorrectionKind.CORRECTION, text="Korrigiert."
    )
    header = make_slot(key="header", width=728, height=90)
    advertiser = make_advertiser()
    header_ad = make_creative(
        slot=header, campaign=make_campaign(advertiser=advertiser)
    )
    make_creative(
        slot=make_native_slot(),
        campaign=make_campaign(advertiser=advertiser),
        image=image_file("nativ.png", size=(320, 180), fmt="PNG"),
    )
    services.count_view(article)
    return SimpleNamespace(
        article=article,
        target=target,
        section=section,
        parent=parent,
        author=author,
        tag=Tag.objects.get(slug="feldtest"),
        header=header,
        header_ad=header_ad,
    )


def fill_every_field(site, text):
    """Write `text` into every field a person can fill, as a save would."""

    def fit(model, field):
        return storable(text, model._meta.get_field(field).max_length)

    Article.objects.filter(pk=site.article.pk).update(
        kicker=fit(Article, "kicker"),
        headline=fit(Article, "headline"),
        lead=fit(Article, "lead"),
        body=sanitize_body(fit(Article, "body") + site.article.body),
        image_alt=fit(Article, "image_alt"),
        image_caption=fit(Article, "image_caption"),
        image_credit=fit(Article, "image_credit"),
    )
    # The target's headline is the title of the "Mehr zum Thema" box.
    Article.objects.filter(pk=site.target.pk).update(headline=fit(Article, "headline"))
    Section.objects.filter(pk__in=[site.section.pk, site.parent.pk]).update(
        name=fit(Section, "name"), description=fit(Section, "description")
    )
    Author.objects.filter(pk=site.author.pk).update(
        name=fit(Author, "name"), bio=fit(Author, "bio")
    )
    Tag.objects.filter(pk=site.tag.pk).update(name=fit(Tag, "name"))
    Correction.objects.filter(article=site.article).update(text=fit(Correction, "text"))
    Creative.objects.update(
        alt_text=fit(Creative, "alt_text"), headline=fit(Creative, "headline")
    )
    Advertiser.objects.update(name=fit(Advertiser, "name"))
    Campaign.objects.update(name=fit(Campaign, "name"))
    # Cached pages and the ad campaigns read once a minute hold the old text.
    cache.clear()
    for name in ("article", "target", "section", "parent", "author", "tag"):
        getattr(site, name).refresh_from_db()


def same_text(text):
    """`text` as an HTML parser hands it on: line breaks normalised, NUL
    replaced."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


class HostileTextChecks:
    """Assertions shared by the curated payloads and the generated ones."""

    def get(self, url, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return response

    def assert_article_page_inert(self, site):
        article = site.article
        response = self.get(article.get_absolute_url())
        json_ld = assert_inert_html(self, response.content, "the article page")

        by_type = {block["@type"]: block for block in json_ld}
        news = by_type["NewsArticle"]
        self.assertEqual(news["headline"], article.headline)
        self.assertEqual(news["description"], article.lead)
        self.assertEqual(news["author"][0]["name"], site.author.name)
        self.assertEqual(news["articleSection"], site.section.name)
        self.assertEqual(news["keywords"], [site.tag.name])
        crumbs = [item["name"] for item in by_type["BreadcrumbList"]["itemListElement"]]
        self.assertEqual(
            crumbs,
            ["Startseite", site.parent.name, site.section.name, article.headline],
        )
        visible = same_text(html_text(response.content.decode()))
        for text in (
            article.headline,
            article.kicker,
            article.lead,
            article.image_caption,
            site.target.headline,
        ):
            self.assertIn(same_text(text).strip(), visible)

    def assert_pages_inert(self, site, urls, own_scripts=("/static/",)):
        for url in urls:
            assert_inert_html(self, self.get(url).content, url, own_scripts)

    def assert_feeds_inert(self, site, urls):
        for url in urls:
            root = assert_inert_feed(self, self.get(url).content, url)
            titles = [
                element.text or ""
                for element in root.iter()
                if local_name(element.tag) == "title"
            ]
            self.assertIn(same_text(xml_text(site.article.headline)), titles, url)
            leads = [html_text(text) for text in html_texts_of_feed(root)]
            self.assertIn(same_text(xml_text(site.article.lead)), leads, url)

    def assert_sitemaps_inert(self, site):
        for url in (
            reverse("sitemap"),
            reverse("sitemap_section", args=["artikel"]),
            reverse("sitemap_section", args=["themen"]),
        ):
            ET.fromstring(self.get(url).content)
        news = ET.fromstring(self.get(reverse("news_sitemap")).content)
        titles = [element.text or "" for element in news.iter(f"{NEWS}title")]
        self.assertIn(same_text(xml_text(site.article.headline)), titles)

    def assert_search_reflects_inert(self, query):
        response = self.client.get(reverse("articles:search"), {"q": query})

        self.assertEqual(response.status_code, 200)
        assert_inert_html(self, response.content)
        # The query is shown back in the search box, as typed.
        box = next(
            element
            for element in parse_html(response.content.decode()).iter("input")
            if element.get("id") == "search-q"
        )
        self.assertIn(box.get("value", ""), (same_text(query), ""))


class CuratedPayloadTests(HostileTextChecks, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build_site()

    def reader_pages(self):
        site = self.site
        return [
            site.target.get_absolute_url(),
            reverse("articles:front_page"),
            site.section.get_absolute_url(),
            site.parent.get_absolute_url(),
            site.tag.get_absolute_url(),
            site.author.get_absolute_url(),
            reverse("articles:search") + f"?q={SEARCH_WORD}",
            reverse("readership:statistics"),
            reverse(
                "ads:preview",
                args=[preview_token(site.header_ad, site.header, site.article)],
            ),
        ]

    def feeds(self):
        section, tag = self.site.section, self.site.tag
        return [
            reverse("articles:feed"),
            reverse("articles:feed_atom"),
            reverse("articles:section_feed", args=[section.path]),
            reverse("articles:section_feed_atom", args=[section.path]),
            reverse("articles:tag_feed", args=[tag.slug]),
            reverse("articles:tag_feed_atom", args=[tag.slug]),
        ]

    def test_the_neutral_site_shows_its_ads_and_boxes(self):
        """The pages below really carry every field, ads included."""
        response = self.get(self.site.article.get_absolute_url())

        self.assertContains(response, "data-ad-token", count=2)
        self.assertContains(response, "topic-box")
        self.assertContains(response, "corrections")

    def test_every_payload_is_inert_on_every_page_feed_and_sitemap(self):
        for payload in XSS_PAYLOADS:
            with self.subTest(payload=payload):
                fill_every_field(self.site, payload)

                self.assert_article_page_inert(self.site)
                self.assert_pages_inert(self.site, self.reader_pages())
                self.assert_feeds_inert(self.site, self.feeds())
                self.assert_sitemaps_inert(self.site)

    def test_every_payload_is_inert_in_the_admin(self):
        """Campaign, advertiser and creative names show only in the admin."""
        self.client.force_login(make_editor())
        site = self.site
        for payload in XSS_PAYLOADS:
            with self.subTest(payload=payload):
                fill_every_field(site, payload)

                self.assert_pages_inert(
                    site,
                    [
                        reverse("admin:articles_article_changelist"),
                        reverse(
                            "admin:articles_article_change", args=[site.article.pk]
                        ),
                        reverse("admin:ads_campaign_changelist"),
                        reverse(
                            "admin:ads_campaign_change",
                            args=[site.header_ad.campaign_id],
                        ),
                        reverse("admin:ads_creative_changelist"),
                        reverse("admin:ads_campaign_report") + "?grouping=creative",
                        reverse("admin:ads_creative_preview", args=[site.header_ad.pk]),
                    ],
                    own_scripts=("/static/", reverse("admin:jsi18n")),
                )

    def test_every_payload_searched_for_is_shown_back_inert(self):
        for payload in XSS_PAYLOADS:
            with self.subTest(payload=payload):
                self.assert_search_reflects_inert(payload)


class GeneratedPayloadTests(HostileTextChecks, HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build_site()

    @settings(max_examples=25, deadline=None)
    @given(xss_text)
    def test_generated_text_is_inert_on_pages_feeds_and_sitemaps(self, text):
        fill_every_field(self.site, text)

        self.assert_article_page_inert(self.site)
        self.assert_pages_inert(
            self.site,
            [
                reverse("articles:front_page"),
                self.site.section.get_absolute_url(),
                self.site.tag.get_absolute_url(),
                self.site.author.get_absolute_url(),
            ],
        )
        self.assert_feeds_inert(
            self.site, [reverse("articles:feed"), reverse("articles:feed_atom")]
        )
        self.assert_sitemaps_inert(self.site)

    @settings(max_examples=25, deadline=None)
    @given(xss_text)
    def test_generated_search_queries_are_shown_back_inert(self, query):
        self.assert_search_reflects_inert(query)
