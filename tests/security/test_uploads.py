"""Every upload field refuses what is no image, damaged or a bomb, with a
German error and nothing saved, and stores good images re-encoded, so that
nothing appended to them reaches readers."""

import resource
import tracemalloc
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ads.models import Campaign, CampaignStatus, Creative
from articles.models import Article
from tests.factories import (
    article_form_data,
    make_advertiser,
    make_desk_editor,
    make_section,
    make_slot,
    make_staff,
)

from .hostile_files import (
    damaged,
    not_images,
    odd_exif,
    picture,
    png_bomb,
    polyglots,
)

MEMORY_LIMIT = 100 * 1024 * 1024
EXTENSIONS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
APPENDED = (b"<script", b"<html", b"PK\x03\x04", b"META-INF")


def media_files():
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@contextmanager
def peak_memory():
    """The most memory the block took, in bytes: Python's own allocations or
    the process's high-water mark (Pillow allocates outside Python), whichever
    grew more."""
    measured = {}
    tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        yield measured
    finally:
        python_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        # ru_maxrss counts kilobytes on Linux.
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
        measured["bytes"] = max(python_peak, grown)


class UploadChecks:
    def assert_refused_in_german(self, response, field_errors, name):
        self.assertEqual(response.status_code, 200, name)
        message = " ".join(field_errors)
        self.assertRegex(
            message, "Bild|Datei", f"{name}: no German error about the file"
        )

    def assert_stored_re_encoded(self, image_field, name):
        with image_field.open("rb") as file:
            stored = file.read()
            file.seek(0)
            with Image.open(file) as image:
                fmt = image.format
        for payload in APPENDED:
            self.assertNotIn(payload, stored, name)
        self.assertIn(Path(image_field.name).suffix.lower(), EXTENSIONS[fmt], name)


class ArticleImageUploadTests(UploadChecks, TestCase):
    """Through the article form in the admin."""

    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.section = make_section()

    def setUp(self):
        self.client.force_login(self.desk)

    def upload(self, name, content):
        return self.client.post(
            reverse("admin:articles_article_add"),
            article_form_data(
                section=self.section.pk, image=SimpleUploadedFile(name, content)
            ),
        )

    def assert_refused(self, name, content):
        files_before = media_files()

        response = self.upload(name, content)

        errors = response.context["adminform"].form.errors.get("image", [])
        self.assert_refused_in_german(response, errors, name)
        self.assertFalse(Article.objects.exists(), name)
        self.assertEqual(media_files(), files_before, name)

    def test_files_that_are_no_images_are_refused(self):
        for name, file in not_images().items():
            with self.subTest(name):
                self.assert_refused(name, file.read())

    def test_damaged_images_are_refused(self):
        for name, content in damaged().items():
            with self.subTest(name):
                self.assert_refused(name, content)

    def test_a_decompression_bomb_is_refused_without_unpacking_it(self):
        bomb = png_bomb(30_000, 30_000)

        with peak_memory() as used:
            self.assert_refused("bombe.png", bomb)

        self.assertLess(used["bytes"], MEMORY_LIMIT)

    def test_extreme_proportions_are_refused(self):
        for size in [(60_000, 1), (1200, 2), (1200, 30_000)]:
            with self.subTest(size=size):
                self.assert_refused("streifen.png", picture(size, "PNG"))

    def test_images_with_broken_exif_are_stored_without_it(self):
        for name, content in odd_exif().items():
            with self.subTest(name):
                Article.objects.all().delete()

                response = self.upload(name, content)

                self.assertEqual(response.status_code, 302, name)
                article = Article.objects.get()
                self.assertEqual(article.image_width, 1600)
                with article.image.open("rb") as file, Image.open(file) as image:
                    self.assertEqual(dict(image.getexif()), {})

    def test_polyglots_are_stored_re_encoded_without_what_was_appended(self):
        for name, content in polyglots().items():
            with self.subTest(name):
                Article.objects.all().delete()

                response = self.upload(name, content)

                self.assertEqual(response.status_code, 302, name)
                self.assert_stored_re_encoded(Article.objects.get().image, name)


class CreativeUploadTests(UploadChecks, TestCase):
    """Through the campaign form's creatives in the admin."""

    @classmethod
    def setUpTestData(cls):
        cls.manager = make_staff("Anzeigenverwaltung")
        cls.advertiser = make_advertiser()
        cls.slot = make_slot(key="article-end-1")

    def setUp(self):
        self.client.force_login(self.manager)
        cache.clear()
        self.addCleanup(cache.clear)

    def upload(self, name, content):
        now = timezone.localtime()
        data = {
            "name": "Kampagne",
            "advertiser": self.advertiser.pk,
            "status": CampaignStatus.ACTIVE,
            "starts_at_0": now.strftime("%d.%m.%Y"),
            "starts_at_1": "00:00:00",
            "ends_at_0": (now + timedelta(days=30)).strftime("%d.%m.%Y"),
            "ends_at_1": "00:00:00",
            "tier": "2",
            "weight": "10",
            "creatives-TOTAL_FORMS": "1",
            "creatives-INITIAL_FORMS": "0",
            "creatives-MIN_NUM_FORMS": "0",
            "creatives-MAX_NUM_FORMS": "1000",
            "creatives-0-name": "Motiv",
            "creatives-0-slots": [self.slot.pk],
            "creatives-0-image": SimpleUploadedFile(name, content),
            "creatives-0-alt_text": "Sonne",
            "creatives-0-target_url": "https://example.org/",
            "creatives-0-is_active": "on",
        }
        return self.client.post(reverse("admin:ads_campaign_add"), data)

    def assert_refused(self, name, content):
        files_before = media_files()

        response = self.upload(name, content)

        formset = response.context["inline_admin_formsets"][0].formset
        self.assert_refused_in_german(
            response, formset.errors[0].get("image", []), name
        )
        self.assertFalse(Campaign.objects.exists(), name)
        self.assertFalse(Creative.objects.exists(), name)
        self.assertEqual(media_files(), files_before, name)

    def test_files_that_are_no_images_are_refused(self):
        for name, file in not_images().items():
            with self.subTest(name):
                self.assert_refused(name, file.read())

    def test_damaged_images_are_refused(self):
        for name, content in damaged(size=(600, 500)).items():
            with self.subTest(name):
                self.assert_refused(name, content)

    def test_a_decompression_bomb_is_refused_without_unpacking_it(self):
        bomb = png_bomb(30_000, 30_000)

        with peak_memory() as used:
            self.assert_refused("bombe.png", bomb)

        self.assertLess(used["bytes"], MEMORY_LIMIT)

    def test_polyglots_are_stored_re_encoded_without_what_was_appended(self):
        for name, content in polyglots(size=(600, 500)).items():
            with self.subTest(name):
                Campaign.objects.all().delete()

                response = self.upload(name, content)

                self.assertEqual(response.status_code, 302, name)
                self.assert_stored_re_encoded(Creative.objects.get().image, name)
