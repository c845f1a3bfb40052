from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from fronts.models import Block, Front, FrontVersion, Placement


@override_settings(ALLOWED_HOSTS=["testserver"])
class DemoFrontsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for command in ("load_demo_content", "load_demo_ads", "load_demo_fronts"):
            call_command(command, stdout=StringIO())

    def test_the_startseite_is_curated_with_a_version_planned_within_the_hour(self):
        start = Front.objects.get(section=None)
        now = timezone.now()

        planned = start.versions.planned(now).get()

        self.assertIsNotNone(start.current_version())
        self.assertLess(planned.starts_at, now + timedelta(hours=1))
        self.assertTrue(planned.placements.exists())

    def test_the_front_page_and_sport_show_their_fronts(self):
        for url, lead in (
            ("/", "Schwere Gewitter beenden die Hitzewelle"),
            ("/sport/", "Trinkpausen bei 34 Grad"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertTemplateUsed(response, "fronts/front.html")
                self.assertContains(response, lead)

    def test_loading_again_changes_nothing(self):
        counts = [m.objects.count() for m in (Front, FrontVersion, Block, Placement)]

        call_command("load_demo_fronts", stdout=StringIO())

        self.assertEqual(
            [m.objects.count() for m in (Front, FrontVersion, Block, Placement)], counts
        )
