import itertools
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ads.delivery import forget_snapshot
from articles.models import Tag
from pagecache import fragments
from recommendations.models import RecommendationSource, RelatedArticle
from tests.factories import (
    later,
    make_article,
    make_author,
    make_campaign,
    make_creative,
    make_section,
    make_slot,
)

ARTICLE_PARTS = {"article-head", "article-breadcrumbs", "article", "related-articles"}


@contextmanager
def rendered_parts():
    """The names of the stored parts rendered inside the block, in order."""
    names = []
    store = fragments.fragment

    def recording(request, name, vary, render):
        def render_and_record():
            names.append(name)
            return render()

        return store(request, name, vary, render_and_record)

    with mock.patch.object(fragments, "fragment", recording):
        yield names


class ArticlePageFragmentTests(TestCase):
    """A miss of the page cache (a new address, as the benchmark asks for)
    renders again only the parts of the article page that a change shows."""

    @classmethod
    def setUpTestData(cls):
        cls.politik = make_section(name="Politik", slug="politik")
        cls.sport = make_section(name="Sport", slug="sport")
        cls.article = make_article(
            section=cls.politik,
            headline="Stadtrat streicht die Nachtbuslinie",
            tags=["Nahverkehr"],
            authors=[make_author(name="Jana Vogt")],
        )
        cls.related = make_article(
            section=cls.politik, headline="Busfahrer warnen vor Lücken im Netz"
        )
        RelatedArticle.objects.filter(article=cls.article).delete()
        RelatedArticle.objects.create(
            article=cls.article,
            target=cls.related,
            position=1,
            source=RecommendationSource.RANKED,
        )
        cls.slot = make_slot(key="article-end-1")
        cls.creative = make_creative(slot=cls.slot, alt_text="Herbstmesse")

    def setUp(self):
        self.addresses = (
            f"{self.article.get_absolute_url()}?neu={number}"
            for number in itertools.count()
        )
        self.first = self.render()

    def render(self):
        response = self.client.get(next(self.addresses))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def render_counting_parts(self):
        with rendered_parts() as names:
            html = self.render()
        return html, set(names)

    def test_a_second_render_takes_every_part_from_the_cache(self):
        html, rendered = self.render_counting_parts()

        self.assertEqual(rendered, set())
        self.assertIn("Stadtrat streicht die Nachtbuslinie", html)
        self.assertIn("Busfahrer warnen vor Lücken im Netz", html)
        self.assertIn("Jana Vogt", html)

    def test_an_edit_to_the_article_shows_and_renders_only_its_parts(self):
        self.article.headline = "Nachtbus fährt doch weiter"
        self.article.save()

        html, rendered = self.render_counting_parts()

        self.assertIn("<title>Nachtbus fährt doch weiter | Newsroom</title>", html)
        self.assertIn('"headline": "Nachtbus fährt doch weiter"', html)
        self.assertIn('<h1 class="article__headline">Nachtbus fährt doch weiter', html)
        self.assertNotIn("Stadtrat streicht", html)
        self.assertEqual(rendered, ARTICLE_PARTS)

    def test_an_edit_to_a_related_article_renders_only_the_related_block(self):
        self.related.headline = "Busfahrer fordern mehr Personal"
        self.related.save()

        html, rendered = self.render_counting_parts()

        self.assertIn("Busfahrer fordern mehr Personal", html)
        self.assertEqual(rendered, {"related-articles"})

    def test_a_renamed_section_shows_in_the_navigation_and_the_article(self):
        self.politik.name = "Landespolitik"
        self.politik.save()

        html, rendered = self.render_counting_parts()

        self.assertIn('<a href="/politik/">Landespolitik</a>', html)
        self.assertIn('"articleSection": "Landespolitik"', html)
        self.assertIn('<li><a href="/politik/">Landespolitik</a></li>', html)
        self.assertEqual(rendered, {"site-header", *ARTICLE_PARTS})

    def test_a_renamed_tag_shows_in_the_article(self):
        tag = Tag.objects.get(name="Nahverkehr")
        tag.name = "ÖPNV"
        tag.save()

        html, rendered = self.render_counting_parts()

        self.assertIn(">ÖPNV</a>", html)
        self.assertIn('"keywords": ["ÖPNV"]', html)
        self.assertEqual(rendered, {"article-head", "article"})

    def test_an_ad_slot_change_shows_without_rendering_any_part(self):
        self.assertIn("Herbstmesse", self.first)
        self.slot.is_active = False
        self.slot.save()
        forget_snapshot()  # as the admin does after a change to the ads

        html, rendered = self.render_counting_parts()

        self.assertNotIn("Herbstmesse", html)
        self.assertEqual(rendered, set())

    def test_a_cleared_cache_renders_every_part_again_in_every_process(self):
        cache.clear()

        html, rendered = self.render_counting_parts()

        self.assertIn("Stadtrat streicht die Nachtbuslinie", html)
        self.assertEqual(
            rendered,
            {
                *ARTICLE_PARTS,
                "site-head",
                "site-header",
                "eilmeldung",
                "most-read",
                "site-footer",
            },
        )

    def test_a_page_shown_after_a_change_elsewhere_is_unchanged(self):
        make_article(section=self.sport, headline="Ganz woanders")

        html, rendered = self.render_counting_parts()

        self.assertNotIn("Ganz woanders", html)
        self.assertEqual(rendered, set())


class StoredArticleTests(TestCase):
    """The article an address names is stored as its parts are: a new
    address reads nothing but the content version, and a change to the
    article, its section or its tags is seen at once."""

    @classmethod
    def setUpTestData(cls):
        cls.politik = make_section(name="Politik", slug="politik")
        cls.article = make_article(
            section=cls.politik,
            slug="nachtbus",
            headline="Stadtrat streicht die Nachtbuslinie",
            tags=["Nahverkehr"],
        )

    def setUp(self):
        self.numbers = itertools.count()
        self.assertEqual(self.get(self.article.get_absolute_url()).status_code, 200)

    def get(self, url):
        return self.client.get(f"{url}?neu={next(self.numbers)}")

    def test_a_new_address_reads_only_the_content_version(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.get(self.article.get_absolute_url())

        self.assertContains(response, "Stadtrat streicht die Nachtbuslinie")
        self.assertEqual(len(queries), 1, [q["sql"] for q in queries])
        self.assertIn("pagecache_contentversion", queries[0]["sql"])

    def test_a_withdrawn_article_is_gone(self):
        self.article.withdraw()

        self.assertEqual(self.get("/politik/nachtbus/").status_code, 404)

    def test_an_article_is_gone_when_its_end_comes(self):
        self.article.unpublish_at = timezone.now() + timedelta(minutes=5)
        self.article.save()
        self.assertEqual(self.get("/politik/nachtbus/").status_code, 200)

        with later(minutes=6):
            self.assertEqual(self.get("/politik/nachtbus/").status_code, 404)

    def test_a_new_slug_leaves_the_old_address(self):
        self.article.slug = "nachtbus-bleibt"
        self.article.save()

        self.assertNotEqual(self.get("/politik/nachtbus/").status_code, 200)
        self.assertContains(self.get("/politik/nachtbus-bleibt/"), "Nachtbuslinie")

    def test_a_renamed_section_leaves_the_old_address(self):
        self.politik.slug = "landespolitik"
        self.politik.save()

        self.assertNotEqual(self.get("/politik/nachtbus/").status_code, 200)
        self.assertContains(self.get("/landespolitik/nachtbus/"), "Nachtbuslinie")

    def test_a_tag_added_targets_the_ads_at_once(self):
        tag = Tag.objects.create(name="Stadtrat")
        make_creative(
            slot=make_slot(key="article-end-1"),
            campaign=make_campaign(tags=[tag]),
            alt_text="Wahlkampfbus",
        )
        forget_snapshot()  # as the admin does after a change to the ads
        self.assertNotContains(
            self.get(self.article.get_absolute_url()), "Wahlkampfbus"
        )

        self.article.tags.add(tag)

        self.assertContains(self.get(self.article.get_absolute_url()), "Wahlkampfbus")
