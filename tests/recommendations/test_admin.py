from django.test import TestCase
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from recommendations.lists import recommendations_for
from recommendations.models import RelatedPin
from tests.factories import (
    article_form_data,
    make_article,
    make_editor,
    make_section,
)


class RelatedPinInlineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.section = make_section(name="Politik", slug="politik")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_a_pinned_recommendation_comes_first_once_saved(self):
        pinned = make_article(headline="Von der Redaktion empfohlen")
        for number in range(5):
            make_article(headline=f"Anderes {number}")

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:articles_article_add"),
                article_form_data(
                    section=self.section.pk,
                    status="published",
                    published_at_0="01.11.2026",
                    published_at_1="10:00:00",
                    **{
                        "related_pins-TOTAL_FORMS": "1",
                        "related_pins-0-target": pinned.pk,
                        "related_pins-0-position": "1",
                    },
                ),
            )

        self.assertEqual(response.status_code, 302)
        article = Article.objects.get(headline="Länder streiten über Zuschüsse")
        self.assertEqual(recommendations_for(article)[0], pinned)


class PinVersionTests(TestCase):
    def test_restoring_an_article_brings_its_pins_back(self):
        self.client.force_login(make_editor())
        article = make_article(headline="Fassung eins")
        pinned = make_article(headline="Fest empfohlen")
        change = reverse("admin:articles_article_change", args=[article.pk])
        self.client.post(
            change,
            article_form_data(
                article,
                **{
                    "related_pins-TOTAL_FORMS": "1",
                    "related_pins-0-target": pinned.pk,
                    "related_pins-0-position": "3",
                },
            ),
        )
        article.refresh_from_db()
        pin = RelatedPin.objects.get(article=article)
        self.client.post(
            change,
            article_form_data(
                article,
                headline="Fassung zwei",
                **{
                    "related_pins-TOTAL_FORMS": "1",
                    "related_pins-INITIAL_FORMS": "1",
                    "related_pins-0-id": pin.pk,
                    "related_pins-0-article": article.pk,
                    "related_pins-0-target": pinned.pk,
                    "related_pins-0-position": "3",
                    "related_pins-0-DELETE": "on",
                },
            ),
        )
        self.assertFalse(RelatedPin.objects.filter(article=article).exists())

        Version.objects.get_for_object(article)[1].revision.revert(delete=True)

        article.refresh_from_db()
        self.assertEqual(article.headline, "Fassung eins")
        self.assertQuerySetEqual(
            RelatedPin.objects.filter(article=article).values_list(
                "pk", "target", "position"
            ),
            [(pin.pk, pinned.pk, 3)],
        )
