from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from agency.models import AgencyItem, Takeover


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


class DemoAgencyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("load_demo_content")
        run("create_demo_admin")
        cls.output = run("load_demo_agency")

    def test_a_few_items_one_updated_one_under_embargo(self):
        self.assertIn("3 neu, 1 aktualisiert, 0 unverändert, 0 fehlerhaft", self.output)
        self.assertQuerySetEqual(
            AgencyItem.objects.order_by("guid").values_list("version", flat=True),
            [1, 1, 2],
        )
        self.assertEqual(
            [item.headline for item in AgencyItem.objects.all() if item.is_embargoed],
            ["Auenstädter Handballerinnen treffen im Halbfinale auf den Meister"],
        )

    def test_the_draft_made_from_the_first_version_is_flagged(self):
        takeover = Takeover.objects.get()
        self.client.force_login(takeover.taken_by)

        response = self.client.get(
            reverse("admin:articles_article_change", args=[takeover.article.pk])
        )

        self.assertEqual(takeover.article.section.path, "news/politik")
        self.assertContains(response, "Agenturmeldung aktualisiert")

    def test_running_again_changes_nothing(self):
        self.assertEqual(run("load_demo_agency"), "Demo-Agentur: besteht schon.\n")
        self.assertEqual(AgencyItem.objects.count(), 3)
