"""An ad image made for high-density screens (twice its slot) reaches
ordinary screens at half the size."""

import re
from io import StringIO

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from PIL import Image

from ads.delivery import forget_snapshot
from images.renditions import half_size_name
from tests.factories import image_file, make_article, make_creative, make_slot


class ScreenDensityTests(TestCase):
    def setUp(self):
        forget_snapshot()
        self.addCleanup(forget_snapshot)
        self.slot = make_slot(key="article-end-1", width=300, height=250)
        self.article = make_article()

    def ad_image(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        aside = re.search(
            r'<aside class="ad-slot ad-slot--article-end-1".*?</aside>', html, re.S
        )
        return re.search(r"<img [^>]*>", aside.group()).group()

    def test_a_double_size_image_comes_with_its_half_size_copy(self):
        creative = make_creative(
            slot=self.slot, image=image_file("motiv.png", size=(600, 500), fmt="PNG")
        )
        half = half_size_name(creative.image.name)

        img = self.ad_image()

        with default_storage.open(half) as file, Image.open(file) as picture:
            self.assertEqual(picture.size, (300, 250))
        self.assertIn(
            f'srcset="{default_storage.url(half)} 1x, {creative.image.url} 2x"', img
        )
        self.assertIn('width="300" height="250"', img)

    def test_an_image_of_the_slots_size_needs_no_choice(self):
        make_creative(
            slot=self.slot, image=image_file("motiv.png", size=(300, 250), fmt="PNG")
        )

        self.assertNotIn("srcset", self.ad_image())

    def test_creatives_stored_before_get_their_copy_from_create_renditions(self):
        creative = make_creative(
            slot=self.slot, image=image_file("motiv.png", size=(600, 500), fmt="PNG")
        )
        half = half_size_name(creative.image.name)
        default_storage.delete(half)
        forget_snapshot()
        self.assertNotIn("srcset", self.ad_image())

        call_command("create_renditions", stdout=StringIO())
        forget_snapshot()

        self.assertTrue(default_storage.exists(half))
        self.assertIn("srcset", self.ad_image())
