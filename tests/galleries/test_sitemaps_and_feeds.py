"""Galleries in the sitemaps and feeds: each picture's page with its
picture (image:image), the gallery in the article feeds; drafts nowhere."""

from django.test import TestCase
from django.urls import reverse

from galleries.models import GalleryPicture
from tests.factories import make_draft, make_gallery, make_gallery_picture


def picture_sitemap():
    return reverse("sitemap_section", kwargs={"section": "bilder"})


class ImageSitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gallery = make_gallery(pictures=3, headline="Kraniche über dem Moor")
        cls.draft = make_draft(kind="gallery", headline="Noch geheim")
        make_gallery_picture(cls.draft)

    def test_the_index_lists_the_picture_sitemap(self):
        response = self.client.get(reverse("sitemap"))

        self.assertContains(response, "sitemap-bilder.xml")

    def test_each_picture_page_is_listed_with_its_picture(self):
        response = self.client.get(picture_sitemap())

        content = response.content.decode()
        self.assertIn(
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"', content
        )
        self.assertIn(
            f"<loc>http://testserver{self.gallery.get_absolute_url()}</loc>", content
        )
        self.assertIn(
            f"<loc>http://testserver{self.gallery.get_absolute_url()}bild-3/</loc>",
            content,
        )
        for picture in GalleryPicture.objects.of(self.gallery):
            self.assertIn(
                f"<image:image><image:loc>http://testserver{picture.largest_image_url}"
                "</image:loc></image:image>",
                content,
            )
        self.assertEqual(content.count("<image:image>"), 3)

    def test_drafts_stay_hidden(self):
        response = self.client.get(picture_sitemap())

        self.assertNotContains(response, self.draft.slug)

    def test_the_article_sitemap_has_no_image_entries(self):
        response = self.client.get(
            reverse("sitemap_section", kwargs={"section": "artikel"})
        )

        self.assertContains(response, self.gallery.slug)
        self.assertNotContains(response, "<image:image>")

    def test_a_new_picture_retires_the_stored_sitemap(self):
        self.client.get(picture_sitemap())
        self.assertEqual(self.client.get(picture_sitemap())["X-Cache"], "HIT")

        make_gallery_picture(self.gallery)

        response = self.client.get(picture_sitemap())
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "bild-4/")


class FeedTests(TestCase):
    def test_a_gallery_is_in_the_feeds_marked_as_one_drafts_are_not(self):
        gallery = make_gallery(pictures=2, headline="Kraniche über dem Moor")
        make_draft(kind="gallery", headline="Noch geheime Strecke")

        for name in ("articles:feed", "articles:feed_atom"):
            with self.subTest(feed=name):
                response = self.client.get(reverse(name))
                self.assertContains(response, gallery.headline)
                self.assertContains(response, "Bilderstrecke")
                self.assertNotContains(response, "Noch geheime Strecke")
