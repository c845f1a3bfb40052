"""How files and pages leave: media kept by browsers, HTML compressed by
nginx (deploy/nginx.conf), never by Django."""

import re
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.test import TestCase

from tests.factories import image_file, make_article

NGINX_CONF = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()


def nginx_location(prefix):
    return re.search(
        rf"location {re.escape(prefix)} \{{(.*?)\n\s*\}}", NGINX_CONF, re.S
    )


class MediaCachingTests(TestCase):
    def test_django_lets_browsers_keep_media_for_a_year(self):
        article = make_article(image=image_file(size=(1600, 900)))

        response = self.client.get(article.card_image_url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(
            response["Cache-Control"], "public, max-age=31536000, immutable"
        )
        self.assertEqual(settings.MEDIA_CACHE_CONTROL, response["Cache-Control"])

    def test_nginx_says_the_same_for_the_media_it_serves(self):
        media = nginx_location("/media/").group(1)

        self.assertIn("alias ${NEWSROOM_MEDIA_ROOT}/;", media)
        self.assertIn(
            f'add_header Cache-Control "{settings.MEDIA_CACHE_CONTROL}";', media
        )

    def test_a_missing_media_file_is_not_found_and_not_kept(self):
        for path in ("renditions/gibt-es-nicht.jpg", "renditions/", "../settings.py"):
            with self.subTest(path):
                response = self.client.get(f"/media/{path}")

                self.assertEqual(response.status_code, 404)
                self.assertNotIn("max-age", response.get("Cache-Control", ""))

    def test_the_icon_is_a_long_kept_static_file(self):
        response = self.client.get(static("img/favicon.ico"))

        self.assertEqual(response.status_code, 200)
        self.assertIn("immutable", response["Cache-Control"])


class CompressionTests(TestCase):
    def test_nginx_compresses_html(self):
        # text/html is always on nginx's gzip list once gzip is on.
        self.assertRegex(NGINX_CONF, r"\n\s*gzip on;")

    def test_django_sends_pages_uncompressed_for_the_page_cache(self):
        response = self.client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")

        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Content-Encoding", response)
