"""What each role may do with one article: a journalist changes own drafts
only, ad managers see no unpublished article, and a preview link is made by
whoever may change the article."""

from django.test import Client, TestCase
from django.urls import reverse

from articles.models import Article, ArticleStatus, PreviewLink
from tests.accounts.roles import (
    AD_MANAGER,
    ADMIN,
    ANZEIGEN,
    CVD,
    DENIED,
    GONE,
    OK,
    REDAKTEURIN,
    ROLES,
    STAFF,
    admin_url,
    make_user,
    save_version,
)
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    article_form_data,
    make_article,
    make_draft,
    make_section,
    make_staff,
)


class JournalistObjectRulesTests(TestCase):
    """A journalist changes own drafts only, whatever URL or form is sent."""

    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_staff(JOURNALIST)
        cls.colleague = make_staff(JOURNALIST)
        cls.desk = make_staff(DESK_EDITOR)
        section = make_section()
        cls.own_draft = make_draft(section=section, created_by=cls.journalist)
        cls.colleagues_draft = make_draft(section=section, created_by=cls.colleague)
        cls.colleagues_version = save_version(cls.colleagues_draft, cls.colleague)
        # Written as a draft by the journalist, since published by the desk.
        cls.published = make_draft(section=section, created_by=cls.journalist)
        cls.old_draft_version = save_version(cls.published, cls.journalist)
        cls.published.status = ArticleStatus.PUBLISHED
        cls.published.headline = "Die geprüfte Fassung"
        cls.published_version = save_version(cls.published, cls.desk)

    def setUp(self):
        self.client.force_login(self.journalist)

    def post_form(self, url, article, **overrides):
        return self.client.post(url, article_form_data(article, **overrides))

    def test_a_colleagues_draft_cannot_be_changed_deleted_or_restored(self):
        draft = self.colleagues_draft
        attempts = {
            "save": lambda: self.post_form(
                admin_url(Article, "change", draft.pk), draft, headline="Übernommen"
            ),
            "delete": lambda: self.client.post(
                admin_url(Article, "delete", draft.pk), {"post": "yes"}
            ),
            "restore": lambda: self.post_form(
                admin_url(Article, "revision", draft.pk, self.colleagues_version.pk),
                draft,
                headline="Übernommen",
            ),
        }
        for name, attempt in attempts.items():
            with self.subTest(name):
                response = attempt()

                self.assertEqual(response.status_code, 403)
        draft.refresh_from_db()
        self.assertEqual(draft.headline, self.colleagues_draft.headline)

    def test_a_colleagues_draft_opens_read_only(self):
        response = self.client.get(
            admin_url(Article, "change", self.colleagues_draft.pk)
        )

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="_save"')

    def test_the_own_article_is_read_only_once_published(self):
        response = self.post_form(
            admin_url(Article, "change", self.published.pk),
            self.published,
            headline="Nachträglich",
        )

        self.assertEqual(response.status_code, 403)

    def test_an_own_draft_goes_to_review_but_not_online(self):
        url = admin_url(Article, "change", self.own_draft.pk)

        refused = self.post_form(url, self.own_draft, status="published")
        submitted = self.post_form(url, self.own_draft, status="review")

        self.assertContains(refused, "Bitte eine gültige Auswahl treffen")
        self.assertEqual(submitted.status_code, 302)
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.status, ArticleStatus.REVIEW)

    def test_an_old_own_draft_cannot_overwrite_the_published_article(self):
        url = admin_url(
            Article, "revision", self.published.pk, self.old_draft_version.pk
        )

        page = self.client.get(url)
        response = self.post_form(url, self.published, headline="Alte Fassung")

        self.assertEqual(page.status_code, 403)
        self.assertEqual(response.status_code, 403)
        self.published.refresh_from_db()
        self.assertEqual(self.published.headline, "Die geprüfte Fassung")
        self.assertEqual(self.published.status, ArticleStatus.PUBLISHED)

    def test_the_desk_may_restore_an_old_version(self):
        self.client.force_login(self.desk)
        url = admin_url(
            Article, "revision", self.published.pk, self.old_draft_version.pk
        )

        response = self.client.get(url)

        self.assertEqual(response.status_code, 200)

    def test_a_crafted_state_or_author_field_changes_nothing(self):
        url = admin_url(Article, "change", self.own_draft.pk)

        for overrides in (
            {"status": ArticleStatus.PUBLISHED},
            {"status": ArticleStatus.WITHDRAWN},
            {"published_at_0": "01.01.2026", "published_at_1": "10:00:00"},
        ):
            with self.subTest(**overrides):
                self.post_form(url, self.own_draft, **overrides)

                self.own_draft.refresh_from_db()
                self.assertEqual(self.own_draft.status, ArticleStatus.DRAFT)
                self.assertIsNone(self.own_draft.published_at)

    def test_the_article_cannot_be_handed_to_someone_else(self):
        url = admin_url(Article, "change", self.own_draft.pk)

        response = self.post_form(
            url, self.own_draft, created_by=self.colleague.pk, headline="Neu"
        )

        self.assertEqual(response.status_code, 302)
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.headline, "Neu")
        self.assertEqual(self.own_draft.created_by, self.journalist)

    def test_bulk_actions_change_nothing_that_is_not_ones_own(self):
        for action in ("publish", "withdraw", "delete_selected"):
            self.client.post(
                reverse("admin:articles_article_changelist"),
                {"action": action, "_selected_action": [self.own_draft.pk]},
            )
        for action in ("publish", "withdraw", "submit_for_review", "delete_selected"):
            with self.subTest(action):
                self.client.post(
                    reverse("admin:articles_article_changelist"),
                    {
                        "action": action,
                        "_selected_action": [
                            self.colleagues_draft.pk,
                            self.published.pk,
                        ],
                        "post": "yes",
                    },
                )

        self.assertQuerySetEqual(
            Article.objects.filter(
                status=ArticleStatus.DRAFT, created_by=self.colleague
            ),
            [self.colleagues_draft],
        )
        self.published.refresh_from_db()
        self.assertEqual(self.published.status, ArticleStatus.PUBLISHED)
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.status, ArticleStatus.DRAFT)


class AdManagerArticleRulesTests(TestCase):
    """Ad managers see published articles only: no unpublished story leaks."""

    @classmethod
    def setUpTestData(cls):
        cls.manager = make_staff(AD_MANAGER)
        cls.draft = make_draft(headline="Geheime Recherche")
        cls.version = save_version(cls.draft, make_staff(DESK_EDITOR))
        cls.published = make_article(headline="Längst erschienen")

    def setUp(self):
        self.client.force_login(self.manager)

    def test_the_article_list_shows_published_articles_only(self):
        response = self.client.get(reverse("admin:articles_article_changelist"))

        self.assertContains(response, "Längst erschienen")
        self.assertNotContains(response, "Geheime Recherche")

    def test_a_draft_cannot_be_read_by_its_address(self):
        compare = admin_url(Article, "compare", self.draft.pk)
        for url in (
            admin_url(Article, "change", self.draft.pk),
            admin_url(Article, "history", self.draft.pk),
            f"{compare}?version_id1={self.version.pk}&version_id2={self.version.pk}",
            admin_url(Article, "revision", self.draft.pk, self.version.pk),
            reverse("articles:article_preview", args=[self.draft.pk]),
            reverse("admin:autocomplete")
            + "?app_label=articles&model_name=topicbox&field_name=target&term=Geheim",
        ):
            with self.subTest(url=url):
                response = self.client.get(url, follow=True)

                self.assertNotContains(
                    response, "Geheime Recherche", status_code=response.status_code
                )


class PreviewLinkButtonRulesTests(TestCase):
    """A preview link is made by whoever may change the article, by POST only."""

    @classmethod
    def setUpTestData(cls):
        cls.users = {role: make_user(role) for role in ROLES}
        cls.published = make_article(created_by=cls.users[CVD])
        cls.own_draft = make_draft(created_by=cls.users[REDAKTEURIN])

    def share(self, article, client=None):
        client = client or self.client
        return client.post(
            admin_url(Article, "share_preview", article.pk),
            HTTP_ACCEPT="application/json",
        )

    def test_each_role_may_make_a_link_exactly_where_it_may_change_the_article(self):
        cases = [
            (REDAKTEURIN, self.own_draft, OK),
            (REDAKTEURIN, self.published, DENIED),
            (CVD, self.published, OK),
            (ANZEIGEN, self.published, DENIED),
            (ANZEIGEN, self.own_draft, GONE),
            (STAFF, self.published, DENIED),
            (ADMIN, self.published, OK),
        ]
        for role, article, expected in cases:
            self.client.force_login(self.users[role])
            with self.subTest(role=role, article=article.status):
                response = self.share(article)

                self.assertEqual(response.status_code, expected)
                made = PreviewLink.objects.filter(
                    article=article, created_by=self.users[role]
                )
                self.assertIs(made.exists(), expected == OK)

    def test_anonymous_visitors_are_sent_to_the_login(self):
        response = self.share(self.published)

        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.url.startswith(reverse("admin:login")))
        self.assertFalse(PreviewLink.objects.exists())

    def test_a_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.users[CVD])

        response = self.share(self.published, client)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(PreviewLink.objects.exists())

    def test_the_button_is_shown_only_to_those_who_may_use_it(self):
        for role, shown in ((REDAKTEURIN, False), (CVD, True), (ANZEIGEN, False)):
            self.client.force_login(self.users[role])
            with self.subTest(role=role):
                page = self.client.get(admin_url(Article, "change", self.published.pk))

                self.assertEqual("Vorschau-Link erstellen" in page.text, shown)
