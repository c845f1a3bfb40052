from django.templatetags.static import static
from django.test import TestCase


class StaticFileTests(TestCase):
    def test_static_files_have_hashed_names_and_are_cached_for_a_year(self):
        url = static("css/site.css")

        response = self.client.get(url)

        self.assertRegex(url, r"/static/css/site\.[0-9a-f]{12}\.css$")
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=315360000", response["Cache-Control"])
        self.assertIn("immutable", response["Cache-Control"])

    def test_static_files_come_brotli_or_gzip_compressed(self):
        url = static("css/site.css")

        brotli = self.client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        gzip = self.client.get(url, HTTP_ACCEPT_ENCODING="gzip")

        self.assertEqual(brotli["Content-Encoding"], "br")
        self.assertEqual(gzip["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", brotli["Vary"])
