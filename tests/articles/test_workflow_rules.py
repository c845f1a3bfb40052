"""Who may move an article where, and what the desk sees it as: the rules
the admin asks, without the admin."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from articles.models import Article, ArticleStatus
from articles.models.states import may_publish, may_recover_deleted
from tests.factories import (
    make_article,
    make_desk_editor,
    make_draft,
    make_journalist,
    make_scheduled,
)


class EditRightsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist()
        cls.colleague = make_journalist()
        cls.desk = make_desk_editor()
        cls.own_draft = make_draft(created_by=cls.journalist)
        cls.own_in_review = make_draft(
            created_by=cls.journalist, status=ArticleStatus.REVIEW
        )
        cls.colleagues_draft = make_draft(created_by=cls.colleague)
        cls.published = make_article(created_by=cls.journalist)

    def test_journalists_edit_only_their_own_drafts(self):
        self.assertQuerySetEqual(
            Article.objects.editable_by(self.journalist),
            [self.own_draft],
            ordered=False,
        )

    def test_desk_editors_edit_everything(self):
        self.assertEqual(Article.objects.editable_by(self.desk).count(), 4)

    def test_only_the_desk_publishes_and_recovers_deleted_articles(self):
        self.assertIs(may_publish(self.desk), True)
        self.assertIs(may_publish(self.journalist), False)
        self.assertIs(may_recover_deleted(self.desk), True)
        self.assertIs(may_recover_deleted(self.journalist), False)


class StatusChoiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist()
        cls.desk = make_desk_editor()

    def test_the_desk_may_choose_every_state(self):
        self.assertEqual(make_draft().statuses_for(self.desk), list(ArticleStatus))

    def test_a_journalist_moves_a_draft_between_draft_and_review(self):
        self.assertEqual(
            make_draft().statuses_for(self.journalist),
            [ArticleStatus.DRAFT, ArticleStatus.REVIEW],
        )

    def test_a_journalist_may_leave_an_article_in_the_state_it_has(self):
        self.assertEqual(
            make_article().statuses_for(self.journalist),
            [ArticleStatus.DRAFT, ArticleStatus.REVIEW, ArticleStatus.PUBLISHED],
        )


class RestoreRightsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist()
        cls.desk = make_desk_editor()
        cls.own_draft = make_draft(created_by=cls.journalist)
        cls.own_published = make_article(created_by=cls.journalist)
        cls.colleagues_draft = make_draft(created_by=make_journalist())

    def test_a_journalist_may_bring_back_an_old_draft_of_an_own_draft(self):
        self.assertIs(
            self.own_draft.can_be_restored_by(self.journalist, ArticleStatus.DRAFT),
            True,
        )

    def test_a_journalist_may_not_bring_back_an_old_published_version(self):
        self.assertIs(
            self.own_draft.can_be_restored_by(self.journalist, ArticleStatus.PUBLISHED),
            False,
        )

    def test_an_old_draft_cannot_overwrite_a_published_article(self):
        self.assertIs(
            self.own_published.can_be_restored_by(self.journalist, ArticleStatus.DRAFT),
            False,
        )

    def test_a_colleagues_draft_cannot_be_restored(self):
        self.assertIs(
            self.colleagues_draft.can_be_restored_by(
                self.journalist, ArticleStatus.DRAFT
            ),
            False,
        )

    def test_the_desk_may_bring_back_any_version(self):
        for status in ArticleStatus:
            with self.subTest(status=status):
                self.assertIs(
                    self.own_published.can_be_restored_by(self.desk, status), True
                )


class WorkflowStateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.draft = make_draft()
        cls.scheduled = make_scheduled()
        cls.live = make_article(unpublish_at=timezone.now() + timedelta(hours=1))
        cls.expired = make_article(
            published_at=timezone.now() - timedelta(days=2),
            unpublish_at=timezone.now() - timedelta(days=1),
        )
        cls.withdrawn = make_article(status=ArticleStatus.WITHDRAWN)

    def test_each_article_is_labelled_where_it_stands(self):
        self.assertEqual(self.draft.workflow_state, ("draft", "Entwurf"))
        self.assertEqual(self.scheduled.workflow_state, ("scheduled", "Geplant"))
        self.assertEqual(self.live.workflow_state, ("published", "Veröffentlicht"))
        self.assertEqual(self.expired.workflow_state, ("expired", "Abgelaufen"))
        self.assertEqual(self.withdrawn.workflow_state, ("withdrawn", "Zurückgezogen"))

    def test_expired_means_published_with_its_end_passed(self):
        self.assertIs(self.expired.is_expired, True)
        self.assertIs(self.live.is_expired, False)
        self.assertIs(self.scheduled.is_expired, False)
        self.assertQuerySetEqual(Article.objects.expired(), [self.expired])

    def test_each_state_finds_exactly_its_articles(self):
        for article in (
            self.draft,
            self.scheduled,
            self.live,
            self.expired,
            self.withdrawn,
        ):
            key = article.workflow_state[0]
            with self.subTest(state=key):
                self.assertQuerySetEqual(
                    Article.objects.in_workflow_state(key), [article]
                )

    def test_corrections_are_taken_once_the_article_has_a_publication_time(self):
        self.assertIs(self.draft.takes_corrections, False)
        self.assertIs(self.live.takes_corrections, True)
