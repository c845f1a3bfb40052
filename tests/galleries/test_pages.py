"""A gallery for readers: one picture per address, paged by plain links,
an ad every few pictures, its structured data, and what the page cache
keeps."""

import json
import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from galleries.cache_keys import gallery_key
from galleries.models import GalleryPicture
from galleries.templatetags.galleries import AD_EVERY
from pagecache.dependencies import touch
from tests.factories import (
    make_article,
    make_draft,
    make_gallery,
    make_gallery_picture,
    make_section,
    make_slot,
    make_topic_box,
)

SHARED_COPY = {"HTTP_X_NEWSROOM_SHARED_COPY": "1"}


def picture_page(article, number):
    return reverse(
        "galleries:picture_page",
        kwargs={
            "section_path": article.section.path,
            "slug": article.slug,
            "number": number,
        },
    )


def structured_data(response):
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>',
            response.content.decode(),
            re.S,
        )
    ]


class PicturePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gallery = make_gallery(pictures=5, headline="Herbst im Stadtpark")
        cls.pictures = list(GalleryPicture.objects.of(cls.gallery))

    def test_the_article_page_shows_the_first_picture_and_a_link_to_the_second(self):
        response = self.client.get(self.gallery.get_absolute_url())

        self.assertContains(response, "Bild 1 von 5")
        self.assertContains(response, self.pictures[0].image_caption)
        self.assertContains(response, f'alt="{self.pictures[0].image_alt}"')
        self.assertContains(response, "Foto: Newsroom/Foto")
        self.assertContains(
            response, f'href="{picture_page(self.gallery, 2)}" rel="next"'
        )
        self.assertNotContains(response, 'rel="prev"')

    def test_each_picture_has_its_own_page_and_canonical_address(self):
        response = self.client.get(picture_page(self.gallery, 3))

        self.assertContains(response, "Bild 3 von 5")
        self.assertContains(response, "<title>Bild 3 – Herbst im Stadtpark | Newsroom")
        self.assertContains(response, f'alt="{self.pictures[2].image_alt}"')
        self.assertNotContains(response, f'alt="{self.pictures[1].image_alt}"')
        self.assertContains(
            response, f'href="{picture_page(self.gallery, 2)}" rel="prev"'
        )
        self.assertContains(
            response, f'href="{picture_page(self.gallery, 4)}" rel="next"'
        )
        self.assertContains(
            response,
            f'<link rel="canonical" href="http://testserver{picture_page(self.gallery, 3)}">',
        )

    def test_the_last_picture_has_no_next_link(self):
        response = self.client.get(picture_page(self.gallery, 5))

        self.assertContains(response, "Bild 5 von 5")
        self.assertNotContains(response, 'rel="next"')

    def test_the_first_picture_has_one_address_only(self):
        response = self.client.get(picture_page(self.gallery, 1))

        self.assertRedirects(response, self.gallery.get_absolute_url(), status_code=301)

    def test_a_picture_that_does_not_exist_is_not_found(self):
        for number in (0, 6, 99):
            with self.subTest(number=number):
                response = self.client.get(picture_page(self.gallery, number))
                self.assertEqual(response.status_code, 404)

    def test_the_order_follows_the_positions(self):
        first = self.pictures[0]
        first.position = 99
        first.save()

        response = self.client.get(picture_page(self.gallery, 5))

        self.assertContains(response, f'alt="{first.image_alt}"')

    def test_each_picture_page_carries_a_view_token_of_its_article(self):
        response = self.client.get(picture_page(self.gallery, 2))

        self.assertContains(response, "data-token=")
        self.assertContains(response, f"?artikel={self.gallery.pk}")

    def test_an_ad_slot_follows_every_few_pictures_but_not_the_last(self):
        make_slot(key="bilderstrecke")

        with_ad = [
            number
            for number in range(2, 6)
            if "slot=bilderstrecke"
            in self.client.get(
                picture_page(self.gallery, number), **SHARED_COPY
            ).content.decode()
        ]

        self.assertEqual(with_ad, [AD_EVERY])

    def test_structured_data_is_an_image_gallery_of_every_picture(self):
        response = self.client.get(picture_page(self.gallery, 2))

        gallery = next(
            block
            for block in structured_data(response)
            if block["@type"] == "ImageGallery"
        )
        self.assertEqual(gallery["numberOfItems"], 5)
        self.assertEqual(
            [image["caption"] for image in gallery["associatedMedia"]],
            [picture.image_caption for picture in self.pictures],
        )
        self.assertEqual(
            gallery["associatedMedia"][1]["url"],
            f"http://testserver{picture_page(self.gallery, 2)}",
        )
        self.assertTrue(
            gallery["associatedMedia"][0]["contentUrl"].startswith("http://testserver/")
        )

    def test_pages_need_no_script_and_load_nothing_from_other_hosts(self):
        content = self.client.get(picture_page(self.gallery, 2)).content.decode()

        self.assertNotRegex(content, r'(src|href)="(https?:)?//(?!testserver)')
        self.assertRegex(
            content, r'<script src="/static/galleries/gallery\.\w+\.js" defer>'
        )


class HiddenGalleryTests(TestCase):
    def test_a_draft_gallery_has_no_picture_pages(self):
        draft = make_draft(kind="gallery")
        make_gallery_picture(draft)
        make_gallery_picture(draft)

        response = self.client.get(picture_page(draft, 2))

        self.assertEqual(response.status_code, 404)

    def test_an_ordinary_article_shows_no_gallery_and_has_no_picture_pages(self):
        article = make_article()
        make_gallery_picture(article)
        make_gallery_picture(article)

        self.assertNotContains(
            self.client.get(article.get_absolute_url()), "data-gallery"
        )
        self.assertEqual(self.client.get(picture_page(article, 2)).status_code, 404)

    def test_an_article_named_like_a_picture_page_is_still_found(self):
        news = make_section(slug="bildnews")
        sub = make_section(slug="unter", parent=news)
        article = make_article(section=sub, slug="bild-2", headline="Bild 2 der Woche")

        response = self.client.get(article.get_absolute_url())

        self.assertContains(response, "Bild 2 der Woche")


class PageCacheTests(TestCase):
    """A picture's change retires exactly the pages that show its gallery."""

    @classmethod
    def setUpTestData(cls):
        cls.gallery = make_gallery(pictures=3)
        cls.other = make_gallery(pictures=2)

    def warm(self, urls):
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Cache"], "HIT", url)

    def test_a_new_caption_retires_every_page_of_its_gallery_only(self):
        own = [self.gallery.get_absolute_url(), picture_page(self.gallery, 3)]
        others = [self.other.get_absolute_url(), picture_page(self.other, 2)]
        self.warm(own + others)
        picture = GalleryPicture.objects.of(self.gallery).last()

        picture.image_caption = "Neue Bildunterschrift"
        picture.save()

        for url in own:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["X-Cache"], "MISS")
        for url in others:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["X-Cache"], "HIT")
        self.assertContains(self.client.get(own[1]), "Neue Bildunterschrift")

    def test_a_stored_picture_page_costs_one_query(self):
        url = picture_page(self.gallery, 2)
        self.client.get(url)

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)

        self.assertEqual(response["X-Cache"], "HIT")
        self.assertEqual(len(queries), 1)


class QueryCountTests(TestCase):
    def rendered_queries(self, article, number=1):
        url = (
            picture_page(article, number) if number > 1 else article.get_absolute_url()
        )
        # Once before counting: caches filled on first use are warm, as they
        # are for almost every reader; then the stored page is retired (the
        # new content version also renders the shared parts again).
        self.client.get(url)
        touch({gallery_key(article.pk), f"article:{article.pk}"})
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response["X-Cache"], "MISS")
        return len(queries)

    def test_a_picture_page_costs_the_same_however_long_the_gallery(self):
        short = make_gallery(pictures=2)
        long = make_gallery(pictures=12)

        counts = {
            "article page, short": self.rendered_queries(short, 1),
            "article page, long": self.rendered_queries(long, 1),
            "picture page, short": self.rendered_queries(short, 2),
            "picture page, long": self.rendered_queries(long, 2),
        }

        self.assertEqual(len(set(counts.values())), 1, counts)
        # One query more than an ordinary article's page: the pictures.
        self.assertEqual(
            counts["picture page, long"], self.rendered_queries(make_article()) + 1
        )


class GalleryInTheBodyTests(TestCase):
    """A "Mehr zum Thema" box whose story is a gallery shows as its block."""

    @classmethod
    def setUpTestData(cls):
        cls.gallery = make_gallery(pictures=5, headline="Herbst im Stadtpark")
        cls.article = make_article(
            body="<p>Erster Absatz.</p><p>Zweiter Absatz.</p><p>Dritter Absatz.</p>"
        )
        make_topic_box(cls.article, cls.gallery, after_paragraph=2)

    def test_the_block_stands_after_its_paragraph_with_pictures_and_a_link(self):
        content = self.client.get(self.article.get_absolute_url()).content.decode()

        block = content.index('class="gallery-teaser"')
        self.assertLess(content.index("Zweiter Absatz."), block)
        self.assertLess(block, content.index("Dritter Absatz."))
        self.assertIn("5 Bilder ansehen", content)
        self.assertIn(f'href="{self.gallery.get_absolute_url()}"', content)
        self.assertEqual(content.count('loading="lazy"'), 3)

    def test_a_withdrawn_gallery_leaves_no_block(self):
        self.gallery.withdraw()

        response = self.client.get(self.article.get_absolute_url())

        self.assertNotContains(response, "gallery-teaser")
        self.assertNotContains(response, "Herbst im Stadtpark")

    def test_a_new_picture_retires_the_page_with_the_block(self):
        url = self.article.get_absolute_url()
        self.client.get(url)
        self.assertEqual(self.client.get(url)["X-Cache"], "HIT")

        make_gallery_picture(self.gallery)

        response = self.client.get(url)
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "6 Bilder ansehen")
