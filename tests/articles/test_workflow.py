from datetime import timedelta

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from articles.models import Article, ArticleStatus, StaleEditError
from tests.factories import (
    image_file,
    make_article,
    make_draft,
)


class PublicationRulesTests(TestCase):
    def make_ready_draft(self, **overrides):
        fields = {
            "image": image_file(),
            "image_alt": "Ein Bild",
            "image_credit": "Newsroom/Test",
        }
        fields.update(overrides)
        return make_draft(**fields)

    def assert_refused(self, article, message):
        with self.assertRaisesMessage(ValidationError, message):
            article.publish()
        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.DRAFT)

    def test_a_complete_draft_can_be_published(self):
        article = self.make_ready_draft()

        article.publish()

        self.assertIs(article.is_published, True)

    def test_publishing_is_refused_without_a_headline(self):
        self.assert_refused(
            self.make_ready_draft(headline=" "), "Die Überschrift fehlt."
        )

    def test_publishing_is_refused_without_a_lead(self):
        self.assert_refused(self.make_ready_draft(lead=""), "Der Vorspann fehlt.")

    def test_publishing_is_refused_without_alt_text(self):
        self.assert_refused(
            self.make_ready_draft(image_alt=""),
            "Der Alternativtext zum Aufmacherbild fehlt.",
        )

    def test_publishing_is_refused_without_an_image_credit(self):
        self.assert_refused(
            self.make_ready_draft(image_credit=""),
            "Der Bildnachweis zum Aufmacherbild fehlt.",
        )

    def test_publishing_is_refused_for_a_headline_over_110_characters(self):
        self.assert_refused(
            self.make_ready_draft(headline="x" * 111),
            "Die Überschrift ist 111 Zeichen lang; veröffentlicht werden können "
            "höchstens 110.",
        )

    def test_every_problem_is_named_at_once(self):
        article = self.make_ready_draft(lead="", image_alt="", image_credit="")

        self.assertEqual(
            article.publication_problems(),
            [
                "Der Vorspann fehlt.",
                "Der Alternativtext zum Aufmacherbild fehlt.",
                "Der Bildnachweis zum Aufmacherbild fehlt.",
            ],
        )

    def test_a_headline_of_exactly_110_characters_is_fine(self):
        article = self.make_ready_draft(headline="x" * 110)

        article.publish()

        self.assertIs(article.is_published, True)


class LifeCycleTests(TestCase):
    def test_draft_goes_to_review(self):
        article = make_draft()

        article.submit_for_review()

        self.assertEqual(article.status, ArticleStatus.REVIEW)
        self.assertFalse(Article.objects.published().exists())

    def test_only_drafts_can_be_submitted(self):
        with self.assertRaisesMessage(ValidationError, "Nur Entwürfe"):
            make_article().submit_for_review()

    def test_publishing_at_a_future_time_schedules(self):
        article = make_draft()
        later = timezone.now() + timedelta(hours=2)

        article.publish(at=later)

        self.assertIs(article.is_scheduled, True)
        self.assertQuerySetEqual(Article.objects.published(), [])
        self.assertQuerySetEqual(Article.objects.scheduled(), [article])

    def test_scheduled_article_goes_live_without_anyone_saving(self):
        article = make_article(published_at=timezone.now() + timedelta(hours=2))
        self.assertQuerySetEqual(Article.objects.published(), [])

        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )

        self.assertQuerySetEqual(Article.objects.published(), [article])

    def test_end_of_visibility_hides_the_article(self):
        visible = make_article(unpublish_at=timezone.now() + timedelta(hours=1))
        make_article(
            published_at=timezone.now() - timedelta(days=2),
            unpublish_at=timezone.now() - timedelta(days=1),
        )

        self.assertQuerySetEqual(Article.objects.published(), [visible])

    def test_end_of_visibility_must_follow_publication(self):
        article = make_article()
        article.unpublish_at = article.published_at - timedelta(hours=1)

        with self.assertRaisesMessage(ValidationError, "„Sichtbar bis“ muss nach"):
            article.full_clean()

    def test_withdrawing_takes_the_article_off_the_site(self):
        article = make_article()

        article.withdraw()

        self.assertEqual(article.status, ArticleStatus.WITHDRAWN)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)

    def test_withdrawn_article_can_be_published_again(self):
        article = make_article(image_alt="", image_credit="")
        article.withdraw()

        article.publish()

        self.assertIs(article.is_published, True)


class StaleEditTests(TestCase):
    def test_saving_an_outdated_copy_is_refused(self):
        article = make_article(headline="Erste Fassung")
        stale_copy = Article.objects.get(pk=article.pk)
        article.headline = "Zweite Fassung"
        article.save()

        stale_copy.headline = "Überschreibt alles"
        with self.assertRaises(StaleEditError):
            stale_copy.save()

        article.refresh_from_db()
        self.assertEqual(article.headline, "Zweite Fassung")

    def test_consecutive_saves_of_one_copy_work(self):
        article = make_article()

        for headline in ("Eins", "Zwei", "Drei"):
            article.headline = headline
            article.save()

        article.refresh_from_db()
        self.assertEqual(article.headline, "Drei")
