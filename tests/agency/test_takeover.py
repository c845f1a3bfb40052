from datetime import timedelta

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from agency.models import AgencyItem, PubStatus, Takeover
from agency.takeover import take_over
from articles.models import ArticleStatus
from tests.agency.factories import make_agency, make_item, receive_sample
from tests.factories import make_journalist, make_section


class TakeoverTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.politik = make_section(name="Politik", slug="politik")
        cls.sport = make_section(name="Sport", slug="sport")
        cls.agency = make_agency()
        cls.agency.rules.create(subject="Politik", section=cls.politik, position=1)
        cls.agency.rules.create(
            subject="http://cv.iptc.org/newscodes/mediatopic/15000000",
            section=cls.sport,
            publishes_directly=True,
        )
        cls.journalist = make_journalist()

    def test_an_item_becomes_a_draft_in_the_ressort_its_subject_routes_to(self):
        item = make_item(self.agency, "haushalt_v1.json")

        article, held_back = take_over(item, self.journalist)

        self.assertEqual(article.status, ArticleStatus.DRAFT)
        self.assertEqual(article.section, self.politik)
        self.assertEqual(article.headline, "Auenland streitet über neuen Haushalt")
        self.assertTrue(article.lead.startswith("Die Landesregierung will 200"))
        self.assertIn("Petra Lindner", article.body)
        self.assertNotIn("script", article.body)
        self.assertEqual([a.name for a in article.authors.all()], ["dpa"])
        self.assertEqual(article.created_by, self.journalist)
        self.assertEqual(held_back, "")

    def test_a_subject_without_a_rule_of_its_own_takes_the_catch_all(self):
        item = make_item(self.agency, "unbekannte_felder.json")

        article, _ = take_over(item, self.journalist)

        self.assertEqual(article.section.name, "Nachrichten")

    def test_the_takeover_is_a_revision_of_the_articles_history(self):
        item = make_item(self.agency, "haushalt_v1.json")

        article, _ = take_over(item, self.journalist)

        [version] = Version.objects.get_for_object(article)
        self.assertEqual(
            version.revision.get_comment(), "Aus Agenturmeldung (dpa) übernommen"
        )
        self.assertEqual(version.revision.user, self.journalist)

    def test_the_desks_rule_publishes_directly(self):
        self.agency.rules.filter(subject="Politik").update(publishes_directly=True)
        item = make_item(self.agency, "haushalt_v1.json")

        article, _ = take_over(item, self.journalist)

        self.assertIs(article.is_published, True)
        response = self.client.get(self.politik.get_absolute_url())
        self.assertContains(response, "Auenland streitet über neuen Haushalt")

    def test_an_embargoed_item_published_directly_waits_for_its_embargo(self):
        item = make_item(self.agency, "sport_sperrfrist.json")

        article, _ = take_over(item, self.journalist)

        self.assertEqual(article.section, self.sport)
        self.assertIs(article.is_scheduled, True)
        self.assertEqual(article.published_at, item.embargoed_until)
        self.assertNotContains(
            self.client.get(self.sport.get_absolute_url()), "Pokal-Auslosung"
        )

    def test_an_embargoed_draft_keeps_the_embargo_as_its_publication_time(self):
        self.agency.rules.update(publishes_directly=False)
        item = make_item(self.agency, "sport_sperrfrist.json")
        article, _ = take_over(item, self.journalist)

        article.publish()

        self.assertIs(article.is_scheduled, True)
        self.assertEqual(article.published_at, item.embargoed_until)

    def test_an_embargoed_item_cannot_be_published_before_its_time(self):
        item = make_item(self.agency, "sport_sperrfrist.json")

        with self.assertRaisesMessage(
            ValidationError,
            "Sperrfrist bis 01.06.2036, 18:00 Uhr: Vorher darf die Meldung nicht "
            "veröffentlicht werden.",
        ):
            item.check_publishable(timezone.now())
        item.check_publishable(item.embargoed_until)

    def test_an_article_from_an_embargoed_item_cannot_go_online_early_any_way(self):
        self.agency.rules.update(publishes_directly=False)
        item = make_item(self.agency, "sport_sperrfrist.json")
        article, _ = take_over(item, self.journalist)
        embargo = "Sperrfrist bis 01.06.2036, 18:00 Uhr"

        # The desk's one click, and a time typed before the embargo's end.
        with self.assertRaisesMessage(ValidationError, embargo):
            article.publish_now()
        with self.assertRaisesMessage(ValidationError, embargo):
            article.publish(at=item.embargoed_until - timedelta(minutes=1))
        # The form's validation: status and time as the form sets them.
        article.status = ArticleStatus.PUBLISHED
        article.published_at = timezone.now()
        with self.assertRaisesMessage(ValidationError, embargo):
            article.full_clean()

        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.DRAFT)
        article.publish(at=item.embargoed_until)
        self.assertIs(article.is_scheduled, True)

    def test_a_passed_embargo_holds_nothing_back(self):
        item = make_item(self.agency, "sport_sperrfrist.json")
        AgencyItem.objects.filter(pk=item.pk).update(
            embargoed_until=timezone.now() - timedelta(minutes=1)
        )
        item.refresh_from_db()

        article, _ = take_over(item, self.journalist)

        self.assertIs(article.is_published, True)

    def test_a_withdrawn_item_is_not_taken_over(self):
        item = make_item(self.agency, "haushalt_v1.json")
        AgencyItem.objects.filter(pk=item.pk).update(pubstatus=PubStatus.CANCELED)
        item.refresh_from_db()

        with self.assertRaisesMessage(
            ValidationError, "Die Agentur hat diese Meldung zurückgezogen"
        ):
            take_over(item, self.journalist)

    def test_an_item_is_taken_over_once(self):
        item = make_item(self.agency, "haushalt_v1.json")
        take_over(item, self.journalist)

        with self.assertRaisesMessage(ValidationError, "schon übernommen"):
            take_over(item, self.journalist)
        self.assertEqual(Takeover.objects.count(), 1)

    def test_without_a_fitting_rule_nothing_is_made(self):
        self.agency.rules.filter(subject="").delete()
        item = make_item(self.agency, "unbekannte_felder.json")

        with self.assertRaisesMessage(ValidationError, "Keine Regel der Agentur"):
            take_over(item, self.journalist)
        self.assertFalse(Takeover.objects.exists())

    def test_a_rule_may_hold_only_for_urgent_items(self):
        self.agency.rules.filter(subject="Politik").update(urgency_at_most=2)
        item = make_item(self.agency, "haushalt_v1.json")  # urgency 3

        article, _ = take_over(item, self.journalist)

        self.assertEqual(article.section.name, "Nachrichten")

    def test_a_headline_too_long_to_publish_stays_a_draft_with_the_reason(self):
        self.agency.rules.filter(subject="Politik").update(publishes_directly=True)
        item = make_item(self.agency, "haushalt_v1.json")
        AgencyItem.objects.filter(pk=item.pk).update(headline="Lang " * 30)
        item.refresh_from_db()

        article, held_back = take_over(item, self.journalist)

        self.assertEqual(article.status, ArticleStatus.DRAFT)
        self.assertIn("Die Überschrift ist 150 Zeichen lang", held_back)

    def test_a_newer_agency_version_marks_the_takeover_outdated(self):
        item = make_item(self.agency, "haushalt_v1.json")
        take_over(item, self.journalist)

        receive_sample(self.agency, "haushalt_v2.json")

        takeover = Takeover.objects.select_related("item").get()
        self.assertIs(takeover.is_outdated, True)
        self.assertQuerySetEqual(Takeover.objects.outdated(), [takeover])
        self.assertQuerySetEqual(
            AgencyItem.objects.with_outdated_takeovers(), [takeover.item]
        )

    def test_the_article_page_shows_the_agency_copy_to_readers(self):
        self.agency.rules.filter(subject="Politik").update(publishes_directly=True)
        article, _ = take_over(
            make_item(self.agency, "haushalt_v1.json"), self.journalist
        )

        response = self.client.get(article.get_absolute_url())

        self.assertContains(response, "Finanzministerin Petra Lindner")
        self.assertContains(response, reverse("articles:author_detail", args=["dpa"]))
