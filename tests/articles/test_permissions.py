"""What each newsroom role may do in the admin: exactly this, nothing more."""

from django.contrib.admin.sites import site
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, ArticleStatus
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    article_form_data,
    make_article,
    make_creative,
    make_draft,
    make_section,
    make_staff,
)

# What each role may do per admin model: the subset of "view", "add",
# "change" and "delete" it gets. Models missing from a role are closed to it.
ROLE_RIGHTS = {
    JOURNALIST: {
        "articles.article": {"view", "add", "change"},
        "articles.section": {"view"},
        "articles.author": {"view"},
        "articles.tag": {"view", "add"},
    },
    DESK_EDITOR: {
        "articles.article": {"view", "add", "change", "delete"},
        "articles.section": {"view", "add", "change", "delete"},
        "articles.author": {"view", "add", "change", "delete"},
        "articles.tag": {"view", "add", "change", "delete"},
        "articles.articleredirect": {"view", "add", "change", "delete"},
    },
}

ROLE_ACTIONS = {
    JOURNALIST: {"submit_for_review"},
    DESK_EDITOR: {"submit_for_review", "publish", "withdraw", "delete_selected"},
}


class AdminPermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_article(tags=["Haushalt"])
        make_creative()

    def pages(self, model):
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        first = model.objects.first()
        yield "view", reverse(f"{prefix}_changelist")
        yield "add", reverse(f"{prefix}_add")
        if first is not None:
            yield "delete", reverse(f"{prefix}_delete", args=[first.pk])

    def test_each_role_reaches_exactly_its_admin_pages(self):
        for role, rights in ROLE_RIGHTS.items():
            self.client.force_login(make_staff(role))
            for model in site._registry:
                label = model._meta.label_lower
                allowed = rights.get(label, set())
                for right, url in self.pages(model):
                    with self.subTest(role=role, model=label, right=right):
                        response = self.client.get(url)

                        expected = 200 if right in allowed else 403
                        self.assertEqual(response.status_code, expected, url)

    def test_each_role_sees_exactly_its_bulk_actions(self):
        for role, actions in ROLE_ACTIONS.items():
            with self.subTest(role=role):
                self.client.force_login(make_staff(role))

                response = self.client.get(reverse("admin:articles_article_changelist"))

                offered = {
                    value
                    for value, _ in response.context["action_form"]
                    .fields["action"]
                    .choices
                } - {""}
                self.assertEqual(offered, actions)


class JournalistObjectRulesTests(TestCase):
    """A journalist cannot edit someone else's draft, even by typing the URL."""

    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_staff(JOURNALIST)
        cls.colleague = make_staff(JOURNALIST)
        cls.section = make_section()
        cls.own_draft = make_draft(section=cls.section, created_by=cls.journalist)
        cls.colleagues_draft = make_draft(section=cls.section, created_by=cls.colleague)
        cls.own_published = make_article(section=cls.section, created_by=cls.journalist)

    def setUp(self):
        self.client.force_login(self.journalist)

    def change(self, article, **overrides):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return self.client.post(url, article_form_data(article, **overrides))

    def test_own_draft_can_be_edited(self):
        response = self.change(self.own_draft, headline="Neue Überschrift")

        self.assertEqual(response.status_code, 302)
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.headline, "Neue Überschrift")

    def test_a_colleagues_draft_is_read_only(self):
        url = reverse("admin:articles_article_change", args=[self.colleagues_draft.pk])

        page = self.client.get(url)
        response = self.change(self.colleagues_draft, headline="Übernommen")

        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="_save"')
        self.assertEqual(response.status_code, 403)
        self.colleagues_draft.refresh_from_db()
        self.assertNotEqual(self.colleagues_draft.headline, "Übernommen")

    def test_own_published_article_is_read_only(self):
        response = self.change(self.own_published, headline="Nachträglich")

        self.assertEqual(response.status_code, 403)

    def test_a_journalist_cannot_publish_through_the_form(self):
        response = self.change(self.own_draft, status="published")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bitte eine gültige Auswahl treffen")
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.status, ArticleStatus.DRAFT)

    def test_a_journalist_can_submit_for_review(self):
        response = self.change(self.own_draft, status="review")

        self.assertEqual(response.status_code, 302)
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.status, ArticleStatus.REVIEW)

    def test_the_publish_action_is_refused_when_posted_anyway(self):
        self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [self.own_draft.pk]},
        )

        self.assertFalse(
            Article.objects.published().filter(pk=self.own_draft.pk).exists()
        )

    def test_a_colleagues_draft_cannot_be_submitted_by_action(self):
        self.client.post(
            reverse("admin:articles_article_changelist"),
            {
                "action": "submit_for_review",
                "_selected_action": [self.colleagues_draft.pk],
            },
        )

        self.colleagues_draft.refresh_from_db()
        self.assertEqual(self.colleagues_draft.status, ArticleStatus.DRAFT)
