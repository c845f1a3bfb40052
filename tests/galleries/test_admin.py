"""Galleries in the article form: publishing needs every picture's texts,
the order follows numbers (or dragging), many files upload at once, and
versions keep the pictures."""

import reversion
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from articles.models import ArticleStatus
from galleries.models import GalleryPicture
from tests.factories import (
    article_form_data,
    change_url,
    image_file,
    make_article,
    make_desk_editor,
    make_draft,
    make_gallery_picture,
    make_journalist,
    make_section,
)


def upload_url(article):
    return reverse("gallery_upload_picture", args=[article.pk])


def picture_rows(pictures, changes=None):
    """The inline's POST data for `pictures`, with `changes` per row index:
    {0: {"image_caption": ""}}."""
    changes = changes or {}
    data = {
        "gallery_pictures-TOTAL_FORMS": str(len(pictures)),
        "gallery_pictures-INITIAL_FORMS": str(len(pictures)),
    }
    for index, picture in enumerate(pictures):
        row = {
            "id": picture.pk,
            "article": picture.article_id,
            "position": picture.position,
            "image_caption": picture.image_caption,
            "image_alt": picture.image_alt,
            "image_credit": picture.image_credit,
            "image_focal_x": picture.image_focal_x,
            "image_focal_y": picture.image_focal_y,
        }
        row.update(changes.get(index, {}))
        data.update({f"gallery_pictures-{index}-{k}": v for k, v in row.items()})
    return data


class PublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.section = make_section()

    def setUp(self):
        self.client.force_login(self.desk)
        self.gallery = make_draft(section=self.section, kind="gallery")
        self.pictures = [
            make_gallery_picture(self.gallery),
            make_gallery_picture(self.gallery, image_caption="", image_credit=""),
        ]

    def post(self, changes=None):
        data = article_form_data(self.gallery, status="published", kind="gallery")
        data.update(picture_rows(self.pictures, changes))
        return self.client.post(change_url(self.gallery), data)

    def test_a_draft_may_lack_the_texts(self):
        data = article_form_data(self.gallery, kind="gallery")
        data.update(picture_rows(self.pictures))

        response = self.client.post(change_url(self.gallery), data)

        self.assertEqual(response.status_code, 302)

    def test_publishing_is_refused_naming_the_picture_and_what_it_lacks(self):
        response = self.post()

        self.assertEqual(response.status_code, 200)
        name = self.pictures[1].image.name.rsplit("/", 1)[-1]
        self.assertContains(
            response,
            f"Bild 2 der Bilderstrecke („{name}“): Bildunterschrift und "
            "Bildnachweis fehlen.",
        )
        self.gallery.refresh_from_db()
        self.assertEqual(self.gallery.status, ArticleStatus.DRAFT)

    def test_texts_typed_in_the_same_save_count(self):
        response = self.post(
            {1: {"image_caption": "Der Teich im Nebel", "image_credit": "Newsroom"}}
        )

        self.assertEqual(response.status_code, 302)
        self.gallery.refresh_from_db()
        self.assertEqual(self.gallery.status, ArticleStatus.PUBLISHED)

    def test_a_gallery_without_pictures_is_not_published(self):
        empty = make_draft(section=self.section, kind="gallery")

        response = self.client.post(
            change_url(empty),
            article_form_data(empty, status="published", kind="gallery"),
        )

        self.assertContains(response, "Die Bilderstrecke hat noch kein Bild.")

    def test_the_desks_one_click_publishing_is_refused_too(self):
        with self.assertRaisesMessage(ValidationError, "Bild 2 der Bilderstrecke"):
            self.gallery.publish()

        self.gallery.refresh_from_db()
        self.assertEqual(self.gallery.status, ArticleStatus.DRAFT)

    def test_the_order_follows_the_numbers(self):
        response = self.client.post(
            change_url(self.gallery),
            {
                **article_form_data(self.gallery, kind="gallery"),
                **picture_rows(self.pictures, {0: {"position": 9}}),
            },
        )

        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            list(GalleryPicture.objects.of(self.gallery)),
            [self.pictures[1], self.pictures[0]],
        )

    def test_the_form_offers_the_upload_of_many_files_and_dragging(self):
        response = self.client.get(change_url(self.gallery))

        self.assertContains(response, 'id="gallery_pictures-group"')
        self.assertContains(response, f'data-url="{upload_url(self.gallery)}"')
        self.assertContains(response, "multiple")
        self.assertContains(response, "galleries/admin/pictures")


class UploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist()
        cls.section = make_section()

    def setUp(self):
        self.client.force_login(self.journalist)
        self.gallery = make_draft(
            section=self.section, kind="gallery", created_by=self.journalist
        )

    def upload(self, file, article=None):
        return self.client.post(upload_url(article or self.gallery), {"image": file})

    def test_each_upload_goes_to_the_end_without_metadata_and_with_renditions(self):
        make_gallery_picture(self.gallery)

        response = self.upload(image_file("park.jpg", size=(1200, 800), exif_gps=True))

        self.assertEqual(response.status_code, 201)
        picture = GalleryPicture.objects.of(self.gallery).last()
        self.assertEqual(response.json()["id"], picture.pk)
        self.assertEqual(picture.position, 2)
        with picture.image.open("rb") as stored, Image.open(stored) as image:
            self.assertEqual(dict(image.getexif()), {})
        self.assertTrue(picture.renditions.widths("original"))
        self.assertTrue(
            picture.image.storage.exists(
                picture.renditions.name("original", 800, "webp")
            )
        )

    def test_a_file_that_is_no_image_is_refused_in_german_and_nothing_is_stored(self):
        response = self.upload(
            SimpleUploadedFile("notiz.jpg", b"kein Bild", content_type="image/jpeg")
        )

        self.assertEqual(response.status_code, 400)
        self.assertIn("notiz.jpg", response.json()["error"])
        self.assertIn("kein lesbares Bild", response.json()["error"])
        self.assertFalse(GalleryPicture.objects.exists())

    def test_a_picture_too_narrow_is_refused_like_a_lead_image(self):
        response = self.upload(image_file("klein.jpg", size=(800, 600)))

        self.assertEqual(response.status_code, 400)
        self.assertIn("mindestens 1200 Pixel", response.json()["error"])

    def test_a_published_gallery_takes_no_pictures_without_texts(self):
        published = make_article(section=self.section, kind="gallery")
        self.client.force_login(make_desk_editor())

        response = self.upload(image_file(size=(1200, 800)), published)

        self.assertEqual(response.status_code, 409)
        self.assertIn("Bildunterschrift", response.json()["error"])
        self.assertFalse(GalleryPicture.objects.exists())

    def test_only_those_who_may_change_the_article_upload(self):
        colleagues = make_draft(section=self.section, kind="gallery")

        response = self.upload(image_file(size=(1200, 800)), colleagues)

        self.assertEqual(response.status_code, 404)
        self.assertFalse(GalleryPicture.objects.exists())

    def test_readers_are_sent_to_the_login(self):
        self.client.logout()

        response = self.upload(image_file(size=(1200, 800)))

        self.assertEqual(response.status_code, 302)
        self.assertFalse(GalleryPicture.objects.exists())

    def test_a_get_is_not_allowed(self):
        self.assertEqual(self.client.get(upload_url(self.gallery)).status_code, 405)


class VersionTests(TestCase):
    def test_restoring_a_version_brings_back_the_pictures_and_their_texts(self):
        gallery = make_draft(kind="gallery")
        with reversion.create_revision():
            picture = make_gallery_picture(gallery, image_caption="Alter Text")
            gallery.save()
        picture.image_caption = "Neuer Text"
        picture.save()
        make_gallery_picture(gallery)

        Version.objects.get_for_object(gallery)[0].revision.revert(delete=True)

        self.assertEqual(
            [p.image_caption for p in GalleryPicture.objects.of(gallery)],
            ["Alter Text"],
        )
