"""Only the pages of views marked with cache_page_with_dependencies are stored."""

from django.http import HttpResponse
from django.test import TestCase, override_settings
from django.urls import path
from django.views.generic import View

from pagecache.decorators import cache_page_with_dependencies
from pagecache.dependencies import touch


def unmarked(request):
    return HttpResponse("<p>Nie gespeichert</p>")


@cache_page_with_dependencies
def marked(request):
    return HttpResponse("<p>Gespeichert</p>")


@cache_page_with_dependencies
class MarkedView(View):
    def get(self, request):
        return HttpResponse("<p>Klasse</p>")


@cache_page_with_dependencies(
    parameters=["seite"], lists=lambda name: [f"list:test:{name}"]
)
def listing(request, name):
    return HttpResponse(f"<p>Liste {name}, Seite {request.GET.get('seite', 1)}</p>")


urlpatterns = [
    path("nie/", unmarked),
    path("gespeichert/", marked),
    path("klasse/", MarkedView.as_view()),
    path("liste/<slug:name>/", listing),
]


@override_settings(ROOT_URLCONF=__name__)
class MarkedViewTests(TestCase):
    def cache_states(self, url, times=2):
        return [self.client.get(url).get("X-Cache") for _ in range(times)]

    def test_the_pages_of_an_unmarked_view_are_never_stored(self):
        first, second = self.client.get("/nie/"), self.client.get("/nie/")

        self.assertContains(second, "Nie gespeichert")
        self.assertNotIn("X-Cache", first)
        self.assertNotIn("X-Cache", second)

    def test_the_pages_of_a_marked_function_view_are_stored(self):
        self.assertEqual(self.cache_states("/gespeichert/"), ["MISS", "HIT"])

    def test_the_pages_of_a_marked_class_based_view_are_stored(self):
        self.assertEqual(self.cache_states("/klasse/"), ["MISS", "HIT"])

    def test_a_parameter_the_view_reads_is_stored_apart(self):
        self.client.get("/liste/nachrichten/")

        self.assertEqual(
            self.cache_states("/liste/nachrichten/?seite=2"), ["MISS", "HIT"]
        )
        self.assertContains(self.client.get("/liste/nachrichten/?seite=2"), "Seite 2")

    def test_a_parameter_the_view_does_not_read_keeps_the_page_out(self):
        self.assertEqual(self.cache_states("/gespeichert/?seite=2"), [None, None])

    def test_touching_a_list_the_view_names_retires_only_its_pages(self):
        self.client.get("/liste/nachrichten/")
        self.client.get("/liste/sport/")

        touch(["list:test:nachrichten"])

        self.assertEqual(self.client.get("/liste/nachrichten/")["X-Cache"], "MISS")
        self.assertEqual(self.client.get("/liste/sport/")["X-Cache"], "HIT")
