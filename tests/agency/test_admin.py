from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.models import AgencyItem, Takeover
from agency.takeover import take_over
from articles.models import Article, ArticleStatus
from tests.agency.factories import make_agency, make_item, receive_sample
from tests.factories import (
    article_form_data,
    make_desk_editor,
    make_journalist,
    make_staff,
)

ITEMS = reverse("admin:agency_agencyitem_changelist")


def take_over_url(item):
    return reverse("admin:agency_agencyitem_take_over", args=[item.pk])


class AgencyItemListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.agency = make_agency()
        cls.journalist = make_journalist()
        receive_sample(
            cls.agency,
            "haushalt_v1.json",
            "haushalt_v2.json",
            "sport_sperrfrist.json",
        )

    def setUp(self):
        self.client.force_login(self.journalist)

    def test_the_list_shows_urgency_embargo_subjects_and_source(self):
        response = self.client.get(ITEMS)

        self.assertContains(response, "Agenturmeldungen")
        self.assertContains(response, "Pokal-Auslosung: Auenstadt trifft")
        self.assertContains(response, "bis 01.06.2036, 18:00 Uhr")
        self.assertContains(response, "Politik, Haushalt")
        self.assertContains(response, "dpa · sport_sperrfrist.json")
        self.assertContains(response, '<td class="field-urgency">2</td>', html=True)

    def test_the_list_names_what_changed_and_the_item_shows_how(self):
        item = AgencyItem.objects.get(guid__endswith="haushalt-auenland")

        listing = self.client.get(ITEMS)
        page = self.client.get(
            reverse("admin:agency_agencyitem_change", args=[item.pk])
        )

        self.assertContains(listing, "Vorspann, Text")
        self.assertContains(page, "<del>200</del>", html=True)
        self.assertContains(page, "<ins>250</ins>", html=True)

    def test_items_are_read_only(self):
        item = AgencyItem.objects.first()

        response = self.client.post(
            reverse("admin:agency_agencyitem_change", args=[item.pk]),
            {"headline": "Geändert"},
        )

        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.get(reverse("admin:agency_agencyitem_add")).status_code, 403
        )

    def test_the_list_reads_a_fixed_number_of_queries(self):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(ITEMS).status_code, 200)
            return len(captured)

        take_over(AgencyItem.objects.first(), self.journalist)
        few = queries()
        receive_sample(self.agency, "unbekannte_felder.json")
        for item in AgencyItem.objects.filter(takeovers=None):
            take_over(item, self.journalist)

        self.assertEqual(queries(), few)


class OneClickTakeoverTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.agency = make_agency()
        cls.item = make_item(cls.agency, "haushalt_v1.json")

    def test_one_click_makes_a_draft_and_opens_it(self):
        self.client.force_login(make_journalist())

        response = self.client.post(take_over_url(self.item))

        article = Article.objects.get()
        self.assertRedirects(
            response,
            reverse("admin:articles_article_change", args=[article.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(article.status, ArticleStatus.DRAFT)
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertEqual(
            messages,
            [
                "„Auenland streitet über neuen Haushalt“ übernommen (Nachrichten): Entwurf."
            ],
        )

    def test_the_list_offers_the_button_inside_its_own_form(self):
        self.client.force_login(make_journalist())

        response = self.client.get(ITEMS)

        self.assertContains(response, f'formaction="{take_over_url(self.item)}"')

    def test_someone_who_may_only_read_gets_no_button(self):
        reader = get_user_model().objects.create(username="leserin", is_staff=True)
        reader.user_permissions.add(Permission.objects.get(codename="view_agencyitem"))
        self.client.force_login(reader)

        response = self.client.get(ITEMS)

        self.assertContains(response, "Auenland streitet über neuen Haushalt")
        self.assertNotContains(response, "Übernehmen</button>")

    def test_a_refused_takeover_says_why_and_makes_nothing(self):
        self.agency.rules.all().delete()
        self.client.force_login(make_desk_editor())

        response = self.client.post(take_over_url(self.item), follow=True)

        self.assertContains(response, "Keine Regel der Agentur")
        self.assertFalse(Article.objects.exists())

    def test_the_bulk_action_takes_over_each_item(self):
        receive_sample(self.agency, "unbekannte_felder.json")
        self.client.force_login(make_desk_editor())

        self.client.post(
            ITEMS,
            {
                "action": "take_over",
                "_selected_action": list(
                    AgencyItem.objects.values_list("pk", flat=True)
                ),
            },
        )

        self.assertEqual(Takeover.objects.count(), 2)

    def test_only_a_post_takes_over(self):
        self.client.force_login(make_journalist())

        self.assertEqual(self.client.get(take_over_url(self.item)).status_code, 405)
        self.assertFalse(Article.objects.exists())

    def test_the_ad_team_may_not_take_over(self):
        self.client.force_login(make_staff("Anzeigenverwaltung"))

        self.assertEqual(self.client.post(take_over_url(self.item)).status_code, 403)
        self.assertFalse(Article.objects.exists())


class UpdatedAgencyCopyFlagTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.agency = make_agency()
        cls.journalist = make_journalist()
        cls.article, _ = take_over(
            make_item(cls.agency, "haushalt_v1.json"), cls.journalist
        )

    def setUp(self):
        self.client.force_login(self.journalist)
        self.article_page = reverse(
            "admin:articles_article_change", args=[self.article.pk]
        )

    def test_the_article_names_its_agency_version_while_it_is_current(self):
        response = self.client.get(self.article_page)

        self.assertContains(response, "Version 1 genutzt, aktuell.")
        self.assertNotContains(response, "Agenturmeldung aktualisiert")

    def test_a_new_agency_version_is_flagged_on_the_article_and_in_the_list(self):
        receive_sample(self.agency, "haushalt_v2.json")

        article_page = self.client.get(self.article_page)
        listing = self.client.get(ITEMS)

        self.assertContains(article_page, "Agenturmeldung aktualisiert")
        self.assertContains(
            article_page, "Version 2 liegt vor, genutzt wurde Version 1"
        )
        self.assertContains(listing, "Agenturmeldung aktualisiert")

    def test_the_article_form_still_saves(self):
        data = article_form_data(self.article, headline="Haushalt: Streit im Landtag")
        data.update(
            {
                "agency_takeover-TOTAL_FORMS": "1",
                "agency_takeover-INITIAL_FORMS": "1",
                "agency_takeover-MIN_NUM_FORMS": "0",
                "agency_takeover-MAX_NUM_FORMS": "1",
            }
        )

        response = self.client.post(self.article_page, data)

        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Haushalt: Streit im Landtag")

    def test_articles_not_from_an_agency_show_no_agency_box(self):
        other = Article.objects.create(
            headline="Eigene Recherche", lead="Vorspann", section=self.article.section
        )

        response = self.client.get(
            reverse("admin:articles_article_change", args=[other.pk])
        )

        self.assertNotContains(response, "agency_takeover")
