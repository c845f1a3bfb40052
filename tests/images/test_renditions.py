"""Renditions of a stored picture (an article's lead image here): every
width and crop, named after what they show, cropped around the focal point."""

from io import StringIO

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from PIL import Image

from images.renditions import Renditions, crop_box
from tests.factories import image_file, make_article


class RenditionNameTests(SimpleTestCase):
    def test_names_stay_what_stored_media_are_called(self):
        renditions = Renditions("articles/2024/05/wahl.jpg", (1600, 900), (0.3, 0.5))

        self.assertEqual(
            renditions.name("original", 800, "jpg"),
            "renditions/articles/2024/05/wahl-original-800w.jpg",
        )
        self.assertEqual(
            renditions.name("16x9", 480, "webp"),
            "renditions/articles/2024/05/wahl-16x9-f30-50-480w.webp",
        )

    def test_small_pictures_are_never_upscaled(self):
        renditions = Renditions("a.jpg", (700, 500), (0.5, 0.5))

        self.assertEqual(renditions.widths("original"), [480, 700])
        self.assertEqual(
            Renditions("b.jpg", (400, 300), (0.5, 0.5)).widths("1x1"), [300]
        )


class RenditionTests(TestCase):
    def test_renditions_are_written_in_every_crop_and_format_never_upscaled(self):
        article = make_article(image=image_file(size=(1300, 800)))

        for crop in ("original", "16x9", "4x3", "1x1"):
            for extension in ("jpg", "webp"):
                with self.subTest(crop=crop, extension=extension):
                    widths = article.renditions.widths(crop)
                    self.assertTrue(all(width <= 1300 for width in widths))
                    for width in widths:
                        name = article.renditions.name(crop, width, extension)
                        self.assertTrue(default_storage.exists(name), name)

    def test_crops_have_their_aspect_ratio(self):
        article = make_article(image=image_file(size=(1600, 900)))

        for crop, ratio in (("16x9", 16 / 9), ("4x3", 4 / 3), ("1x1", 1)):
            width = article.renditions.widths(crop)[-1]
            name = article.renditions.name(crop, width, "jpg")
            with default_storage.open(name) as file, Image.open(file) as image:
                self.assertAlmostEqual(image.width / image.height, ratio, places=1)

    def test_each_crop_comes_as_large_as_the_source_allows(self):
        article = make_article(image=image_file(size=(1600, 900)))

        sizes = {}
        for crop in ("16x9", "4x3", "1x1"):
            width = article.renditions.widths(crop)[-1]
            name = article.renditions.name(crop, width, "jpg")
            with default_storage.open(name) as file, Image.open(file) as image:
                sizes[crop] = image.size

        # The 1:1 crop of a 1600×900 picture has 900 px; it is not upscaled.
        self.assertEqual(
            sizes, {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (900, 900)}
        )
        for width, height in sizes.values():
            self.assertGreaterEqual(width * height, 800_000)

    def test_crops_keep_the_focal_point_in_view(self):
        self.assertEqual(crop_box((1600, 900), (1, 1), (0.9, 0.5)), (700, 0, 1600, 900))
        self.assertEqual(crop_box((1600, 900), (1, 1), (0.1, 0.5)), (0, 0, 900, 900))
        self.assertEqual(crop_box((1600, 900), (1, 1), (0.5, 0.5)), (350, 0, 1250, 900))

    def test_moving_the_focal_point_makes_new_crops(self):
        article = make_article(image=image_file(size=(1600, 900)))
        before = article.card_image_url

        article.image_focal_x = 0.9
        article.save()

        self.assertNotEqual(article.card_image_url, before)
        self.assertIn("-f90-50-", article.card_image_url)

    def test_srcset_lists_every_width(self):
        article = make_article(image=image_file(size=(1600, 900)))

        self.assertRegex(
            article.lead_image_srcset,
            r"-480w\.jpg 480w, .*-800w\.jpg 800w, .*-1200w\.jpg 1200w$",
        )
        self.assertIn(".webp 480w", article.lead_image_srcset_webp)

    def test_location_data_is_stripped_from_the_stored_original(self):
        article = make_article(image=image_file(size=(1600, 900), exif_gps=True))

        with article.image.open("rb") as file, Image.open(file) as image:
            self.assertNotIn(0x8825, image.getexif())

    def test_credit_line_is_prefixed(self):
        self.assertEqual(
            make_article(image_credit="Newsroom/Kim").image_credit_line,
            "Foto: Newsroom/Kim",
        )


class CreateRenditionsCommandTests(TestCase):
    def test_writes_what_is_missing_and_keeps_the_rest(self):
        article = make_article(image=image_file(size=(1600, 900)))
        missing = article.renditions.name("4x3", 1200, "jpg")
        kept = article.renditions.name("16x9", 480, "jpg")
        default_storage.delete(missing)
        before = default_storage.get_modified_time(kept)
        out = StringIO()

        call_command("create_renditions", stdout=out)

        self.assertTrue(default_storage.exists(missing))
        self.assertEqual(default_storage.get_modified_time(kept), before)
        self.assertIn("Artikel: 1 geprüft", out.getvalue())


class StoredNameTests(TestCase):
    """Names never change content, so media may be kept for a year."""

    def test_a_stored_upload_is_named_after_a_digest_of_its_bytes(self):
        first = make_article(image=image_file("wahl.jpg", color=(1, 2, 3)))
        second = make_article(image=image_file("wahl.jpg", color=(200, 2, 3)))

        self.assertRegex(
            first.image.name, r"^articles/\d{4}/\d{2}/wahl-[0-9a-f]{12}\.jpg$"
        )
        self.assertNotEqual(
            first.image.name.split("-")[-1], second.image.name.split("-")[-1]
        )

    def test_a_long_name_keeps_its_digest(self):
        article = make_article(image=image_file("x" * 120 + ".png", fmt="PNG"))

        self.assertRegex(article.image.name, r"/x{40}-[0-9a-f]{12}\.png$")


class PictureDeletionTests(TestCase):
    def test_a_deleted_article_leaves_no_file_behind(self):
        article = make_article(image=image_file(size=(1300, 800)))
        article.image_focal_x = 0.1
        article.save()
        names = [article.image.name, article.renditions.name("1x1", 480, "webp")]
        self.assertTrue(all(default_storage.exists(name) for name in names))
        folder = f"renditions/{article.image.name.rsplit('/', 1)[0]}"

        with self.captureOnCommitCallbacks(execute=True):
            article.delete()

        self.assertFalse(any(default_storage.exists(name) for name in names))
        stem = article.image.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
        self.assertEqual(
            [f for f in default_storage.listdir(folder)[1] if f.startswith(stem)], []
        )

    def test_files_go_only_once_the_deletion_is_committed(self):
        article = make_article(image=image_file(size=(1300, 800)))

        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            article.delete()

        self.assertEqual(len(callbacks), 1)
        self.assertTrue(default_storage.exists(article.image.name))
