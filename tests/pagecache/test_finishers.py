"""Apps fill their per-view parts of a page through registered finishers."""

from itertools import count
from unittest import mock

from django.http import HttpResponse
from django.test import TestCase, override_settings
from django.urls import path

from pagecache import finishers
from pagecache.decorators import cache_page_with_dependencies

MARKER = b"<!--greeting-->"
SHARED_COPY = {finishers.SHARED_COPY_HEADER: "1"}


@cache_page_with_dependencies
def greeting(request):
    return HttpResponse(b"<p>Hallo " + MARKER + b"</p>")


@cache_page_with_dependencies
def plain(request):
    return HttpResponse(b"<p>Hallo</p>")


urlpatterns = [path("gruss/", greeting), path("ohne/", plain)]


@override_settings(ROOT_URLCONF=__name__)
class FinisherTests(TestCase):
    def setUp(self):
        patcher = mock.patch.dict(finishers._finishers)
        patcher.start()
        self.addCleanup(patcher.stop)
        views = count(1)

        def greet(request, content, shared_copy):
            name = b"alle" if shared_copy else b"Leser %d" % next(views)
            return content.replace(MARKER, name)

        finishers.register(MARKER, greet)

    def test_a_registered_finisher_fills_every_view_of_a_cached_page(self):
        pages = [self.client.get("/gruss/") for _ in range(3)]

        self.assertEqual([page["X-Cache"] for page in pages], ["MISS", "HIT", "HIT"])
        self.assertEqual(
            [page.content for page in pages],
            [b"<p>Hallo Leser 1</p>", b"<p>Hallo Leser 2</p>", b"<p>Hallo Leser 3</p>"],
        )

    def test_a_copy_for_a_shared_cache_is_finished_as_one(self):
        self.client.get("/gruss/")

        response = self.client.get("/gruss/", headers=SHARED_COPY)

        self.assertEqual(response["X-Cache"], "HIT")
        self.assertEqual(response.content, b"<p>Hallo alle</p>")

    def test_a_page_with_per_view_parts_is_never_revalidated(self):
        self.assertFalse(self.client.get("/gruss/").has_header("ETag"))
        self.assertTrue(self.client.get("/ohne/").has_header("ETag"))

    def test_pages_that_are_not_html_are_left_alone(self):
        response = HttpResponse(MARKER, content_type="text/plain")

        self.assertEqual(finishers.finish(None, response).content, MARKER)
