"""Messages reach the next page of whoever got them; readers pay nothing for them."""

from unittest import mock

from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from accounts.middleware import LazyMessageMiddleware
from tests.factories import make_article, make_editor


def through_middleware(request, view):
    """`view`'s response to `request` through sessions and messages."""
    return SessionMiddleware(LazyMessageMiddleware(view))(request)


def note_saved(request):
    messages.success(request, "Der Artikel wurde gespeichert.")
    return HttpResponse("gespeichert")


def show_messages(request):
    return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))


def show_nothing(request):
    return HttpResponse("nichts")


class LazyMessageMiddlewareTests(TestCase):
    def test_a_message_reaches_the_next_page(self):
        factory = RequestFactory()
        saved = through_middleware(factory.post("/speichern/"), note_saved)
        next_request = factory.get("/weiter/")
        next_request.COOKIES["messages"] = saved.cookies["messages"].value

        response = through_middleware(next_request, show_messages)

        self.assertContains(response, "Der Artikel wurde gespeichert.")
        self.assertEqual(response.cookies["messages"].value, "")

    def test_a_page_that_shows_no_messages_keeps_them_for_the_next(self):
        factory = RequestFactory()
        saved = through_middleware(factory.post("/speichern/"), note_saved)
        request = factory.get("/anderswo/")
        request.COOKIES["messages"] = saved.cookies["messages"].value

        response = through_middleware(request, show_nothing)

        self.assertNotIn("messages", response.cookies)

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_a_readers_page_makes_no_message_storage(self):
        article = make_article(headline="Neue Brücke über den Kanal")

        with mock.patch(
            "accounts.middleware.default_storage", wraps=default_storage
        ) as storage:
            response = self.client.get(article.get_absolute_url())

        self.assertContains(response, "Neue Brücke über den Kanal")
        storage.assert_not_called()
        self.assertNotIn("messages", response.cookies)

    def test_staff_see_the_admins_messages(self):
        self.client.force_login(make_editor())
        make_article()

        response = self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "delete_selected", "index": "0"},
            follow=True,
        )

        self.assertContains(response, "Es wurden keine Objekte geändert.")
