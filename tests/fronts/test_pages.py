"""Readers get the curated front where there is one, the version whose time
has come, from the page cache until something it shows changes; the
newsroom previews any version, and a signed link shows it to anyone."""

import re
from datetime import timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction, CorrectionKind
from fronts.models import BlockKind, FrontPreviewLink
from readership.models import MostReadArticle
from tests.factories import (
    later,
    make_article,
    make_campaign,
    make_creative,
    make_journalist,
    make_section,
    make_slot,
)
from tests.fronts.factories import make_block, make_front, make_version

HOST = "www.newsroom-zeitung.de"


def headlines(response):
    return re.findall(r'card__headline">([^<]*)<', response.content.decode())


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class ReaderPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section(name="News", slug="news")
        cls.sport = make_section(name="Sport", slug="sport")
        cls.placed = make_article(
            section=cls.news,
            headline="Stadtrat beschließt den Haushalt",
            published_at=timezone.now() - timedelta(hours=5),
        )
        cls.newest = make_article(section=cls.sport, headline="Pokalsieg in Eltingen")

    def get(self, url, **extra):
        return self.client.get(url, HTTP_HOST=HOST, **extra)

    def front_page(self):
        return self.get(reverse("articles:front_page"))

    def test_without_a_front_the_startseite_is_newest_first(self):
        make_front()  # a front without any version yet

        self.assertEqual(headlines(self.front_page())[0], "Pokalsieg in Eltingen")

    def test_the_curated_startseite_shows_the_placed_lead_story(self):
        make_block(make_version(), BlockKind.LEAD, count=1, placed=[self.placed])

        response = self.front_page()

        self.assertEqual(headlines(response), ["Stadtrat beschließt den Haushalt"])
        self.assertContains(response, 'class="teaser teaser--medium"')

    def test_a_ressort_without_a_front_is_newest_first(self):
        make_block(make_version(), count=1, placed=[self.placed])

        response = self.get(self.sport.get_absolute_url())

        self.assertContains(response, "Pokalsieg in Eltingen")
        self.assertTemplateUsed(response, "articles/section_detail.html")

    def test_a_ressort_front_replaces_its_first_page_only(self):
        version = make_version(make_front(self.sport), name="Sport am Tag")
        make_block(
            version, BlockKind.SECTION, section=self.sport, title="Aus dem Sport"
        )

        first = self.get(self.sport.get_absolute_url())
        older = self.get(self.sport.get_absolute_url() + "?page=1")

        self.assertTemplateUsed(first, "fronts/front.html")
        self.assertContains(first, "Aus dem Sport")
        self.assertContains(first, "<h1>Sport</h1>", html=True)
        self.assertTemplateUsed(older, "articles/section_detail.html")

    def test_each_layout_has_its_teaser(self):
        version = make_version()
        for layout in ("large", "medium", "compact"):
            make_block(version, layout=layout, count=1, allows_repeats=True)

        page = self.front_page().content.decode()

        self.assertIn('class="card card--large"', page)
        self.assertIn('class="card__lead"', page)
        self.assertIn('class="teaser teaser--compact"', page)
        self.assertEqual(page.count("Pokalsieg in Eltingen"), 3)
        # Every layout carries the teaser's time, the compact one too.
        self.assertEqual(page.count('<time class="teaser-time"'), 3)

    def test_a_ressort_front_has_the_trail_and_its_structured_data(self):
        make_version(make_front(self.sport), name="Sport am Tag")

        page = self.get(self.sport.get_absolute_url()).content.decode()

        trail = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group()
        self.assertEqual(
            re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]*)", trail),
            ["Startseite", "Sport"],
        )
        self.assertIn('"@type": "BreadcrumbList"', page)

    def test_an_updated_article_is_labelled_update(self):
        Correction.objects.create(
            article=self.placed, kind=CorrectionKind.UPDATE, text="Neue Zahlen."
        )
        make_block(make_version(), count=1, placed=[self.placed])

        self.assertContains(
            self.front_page(), '<p class="teaser-label teaser-label--update">Update</p>'
        )

    def test_most_read_and_the_ad_position_come_from_their_apps(self):
        slot = make_slot(key="sidebar")
        make_creative(slot=slot, campaign=make_campaign(sections=[self.sport]))
        MostReadArticle.objects.create(
            article=self.placed, position=1, views=10, computed_at=timezone.now()
        )
        version = make_version()
        make_block(version, BlockKind.MOST_READ)
        make_block(version, BlockKind.AD, ad_slot=slot, section=self.sport)

        response = self.front_page()

        self.assertContains(response, "Meistgelesen")
        self.assertContains(response, "ad-slot--sidebar")

    # Planning

    def test_a_planned_version_goes_live_at_its_time_without_any_job(self):
        make_block(make_version(), BlockKind.LEAD, count=1, placed=[self.placed])
        evening = make_version(name="Abendausgabe", starts_in=timedelta(minutes=30))
        make_block(evening, BlockKind.LEAD, count=1, placed=[self.newest])
        self.assertEqual(self.front_page()["X-Cache"], "MISS")
        self.assertEqual(self.front_page()["X-Cache"], "HIT")

        with later(minutes=31):
            response = self.front_page()

        self.assertEqual(response["X-Cache"], "MISS")
        self.assertEqual(headlines(response), ["Pokalsieg in Eltingen"])

    def test_the_page_is_cached_no_longer_than_until_the_next_version(self):
        make_version()
        make_version(name="Abendausgabe", starts_in=timedelta(seconds=20))

        response = self.front_page()

        self.assertRegex(response["Cache-Control"], r"s-maxage=(1?\d|20)\b")

    # Retiring exactly the pages that show it

    def warm(self, *urls):
        for url in urls:
            self.get(url)
            self.assertEqual(self.get(url)["X-Cache"], "HIT", url)

    def test_changing_the_live_version_retires_the_front_it_shows_on_only(self):
        block = make_block(make_version(), count=1)
        sport = make_block(make_version(make_front(self.sport)), count=1)
        self.warm("/", "/sport/", "/news/")

        block.title = "Neu sortiert"
        block.save()

        self.assertEqual(self.get("/")["X-Cache"], "MISS")
        self.assertEqual(self.get("/sport/")["X-Cache"], "HIT")
        self.assertEqual(self.get("/news/")["X-Cache"], "HIT")
        sport.delete()
        self.assertEqual(self.get("/sport/")["X-Cache"], "MISS")
        self.assertEqual(self.get("/")["X-Cache"], "HIT")

    def test_editing_a_planned_version_leaves_the_live_page_cached(self):
        make_block(make_version(), count=1)
        evening = make_version(name="Abendausgabe", starts_in=timedelta(hours=2))
        self.warm("/")

        make_block(evening, count=2, placed=[self.placed])

        self.assertEqual(self.get("/")["X-Cache"], "HIT")

    def test_moving_a_planned_version_to_now_retires_the_page(self):
        make_block(make_version(), count=1)
        evening = make_version(name="Abendausgabe", starts_in=timedelta(hours=2))
        self.warm("/")

        evening.starts_at = timezone.now()
        evening.save()

        self.assertEqual(self.get("/")["X-Cache"], "MISS")

    def test_creating_a_ressort_front_retires_that_ressort_page_only(self):
        self.warm("/", "/sport/", "/news/")

        make_block(make_version(make_front(self.sport)), count=1)

        self.assertEqual(self.get("/sport/")["X-Cache"], "MISS")
        self.assertEqual(self.get("/")["X-Cache"], "HIT")
        self.assertEqual(self.get("/news/")["X-Cache"], "HIT")

    def test_changing_a_placed_article_retires_the_front_that_shows_it(self):
        make_block(make_version(make_front(self.sport)), count=1, placed=[self.placed])
        self.warm("/sport/")

        self.placed.headline = "Stadtrat beschließt den Doppelhaushalt"
        self.placed.save()

        response = self.get("/sport/")
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Doppelhaushalt")

    def test_a_withdrawn_placed_article_is_replaced_on_the_cached_front(self):
        make_block(make_version(), count=1, placed=[self.placed])
        self.warm("/")

        self.placed.withdraw()

        self.assertEqual(headlines(self.front_page()), ["Pokalsieg in Eltingen"])

    def test_a_new_article_reaches_a_filled_ressort_block(self):
        make_block(make_version(), BlockKind.SECTION, section=self.news, count=2)
        self.warm("/")

        make_article(section=self.news, headline="Neue Nachricht aus dem Rathaus")

        self.assertIn("Neue Nachricht aus dem Rathaus", headlines(self.front_page()))

    # Cost

    def test_the_front_page_takes_a_bounded_number_of_queries(self):
        self.front_page()  # warms the ad campaigns and shared parts
        counts = []
        for blocks in (2, 8):
            version = make_version(name=f"{blocks} Blöcke", starts_in=-timedelta(0))
            make_block(version, BlockKind.LEAD, count=1, placed=[self.placed])
            for _ in range(blocks - 2):
                make_block(version, BlockKind.SECTION, section=self.sport, count=2)
            make_block(version, BlockKind.MOST_READ)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.front_page()["X-Cache"], "MISS")
            counts.append(len(queries))
            version.delete()
        # Fixed: cache bookkeeping and clocks, the version, its blocks, the
        # placed articles, one statement for each stored part of every page
        # (head links, header with the Ressorts, Eilmeldung, footer) asking
        # whether it has changed; then one per block that fills itself.
        self.assertLessEqual(counts[0], 15, counts)
        self.assertEqual(counts[1] - counts[0], 6, counts)


@override_settings(ALLOWED_HOSTS=[HOST, "testserver"])
class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Morgen früh ganz oben")
        cls.evening = make_version(name="Abendausgabe", starts_in=timedelta(hours=3))
        make_block(cls.evening, BlockKind.LEAD, count=1, placed=[cls.article])

    def preview(self):
        return self.client.get(reverse("fronts:preview", args=[self.evening.pk]))

    def test_the_newsroom_previews_a_planned_version_on_the_real_template(self):
        self.client.force_login(make_journalist())

        response = self.preview()

        self.assertTemplateUsed(response, "fronts/front.html")
        self.assertContains(response, "Morgen früh ganz oben")
        self.assertContains(response, "Vorschau · Abendausgabe")
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        self.assertIn("no-store", response["Cache-Control"])

    def test_readers_are_asked_to_sign_in_for_the_newsroom_preview(self):
        response = self.preview()

        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response.url)

    def test_readers_do_not_see_the_planned_version_yet(self):
        response = self.client.get("/", HTTP_HOST=HOST)

        self.assertNotContains(response, "Abendausgabe")

    def test_a_signed_link_shows_the_version_to_anyone_until_revoked(self):
        link = FrontPreviewLink.objects.create(version=self.evening)

        shared = self.client.get(link.get_absolute_url())
        link.revoked_at = timezone.now()
        link.save()
        revoked = self.client.get(link.get_absolute_url())

        self.assertContains(shared, "Morgen früh ganz oben")
        self.assertEqual(revoked.status_code, 404)

    def test_a_forged_link_is_not_found(self):
        link = FrontPreviewLink.objects.create(version=self.evening)
        token = link.get_absolute_url().rstrip("/").rsplit("/", 1)[1]

        response = self.client.get(
            reverse("fronts:shared_preview", args=[token[:-2] + "xx"])
        )

        self.assertEqual(response.status_code, 404)
