"""A new app's models become content by registering them; pagecache needs
no edit. Django's own Group stands in for such a model here."""

from datetime import timedelta
from unittest import mock

from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import TestCase, override_settings
from django.urls import path
from django.utils import timezone

from pagecache import dependencies
from pagecache.decorators import cache_page_with_dependencies
from pagecache.dependencies import key


@cache_page_with_dependencies
def group_page(request, pk):
    return HttpResponse(f"<p>{Group.objects.get(pk=pk).name}</p>")


@cache_page_with_dependencies
def all_groups(request):
    return HttpResponse(", ".join(group.name for group in Group.objects.all()))


urlpatterns = [path("gruppe/<int:pk>/", group_page), path("gruppen/", all_groups)]


def group_keys(group):
    return [key("group", group.pk)]


@override_settings(ROOT_URLCONF=__name__)
class RegisteredModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = Group.objects.create(name="Desk")
        cls.sport = Group.objects.create(name="Sport")

    def setUp(self):
        for registry in (dependencies._kinds, dependencies._changes):
            patcher = mock.patch.dict(registry)
            patcher.start()
            self.addCleanup(patcher.stop)
        dependencies.track(Group, "group")
        dependencies.touch_on_change(Group, group_keys)

    def url(self, group):
        return f"/gruppe/{group.pk}/"

    def test_a_change_to_a_registered_row_retires_the_pages_that_show_it(self):
        for group in (self.desk, self.sport):
            self.assertEqual(self.client.get(self.url(group))["X-Cache"], "MISS")

        self.desk.name = "Newsdesk"
        self.desk.save()

        self.assertContains(self.client.get(self.url(self.desk)), "Newsdesk")
        self.assertEqual(self.client.get(self.url(self.sport))["X-Cache"], "HIT")

    def test_a_page_that_reads_many_rows_depends_on_every_row_of_their_kind(self):
        with mock.patch.object(dependencies, "MAX_ROW_KEYS", 1):
            self.client.get("/gruppen/")
            self.assertEqual(self.client.get("/gruppen/")["X-Cache"], "HIT")

            # No list names the groups: only `group:*` retires the page.
            Group.objects.create(name="Kultur")

            self.assertContains(self.client.get("/gruppen/"), "Kultur")

    def test_a_registered_clock_retires_what_it_changes_when_its_moment_comes(self):
        # Within the pages' own minute, so only the clock can retire them.
        moment = timezone.now() + timedelta(seconds=20)

        def next_change(since):
            return moment if moment > since else None

        def changes(since, now):
            return group_keys(self.desk) if since < moment <= now else []

        with mock.patch.object(dependencies, "_clocks", []):
            dependencies.register_clock(next_change, changes)
            for group in (self.desk, self.sport):
                self.client.get(self.url(group))

            with mock.patch(
                "django.utils.timezone.now", return_value=moment + timedelta(seconds=1)
            ):
                desk = self.client.get(self.url(self.desk))
                sport = self.client.get(self.url(self.sport))

        self.assertEqual(desk["X-Cache"], "MISS")
        self.assertEqual(sport["X-Cache"], "HIT")
