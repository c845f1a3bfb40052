"""Autosave, presence and "Änderungen ansehen" on the article form.

Nothing typed is lost, nothing autosaved reaches a reader, and a form
opened on an older version is still refused when saved.
"""

import uuid
from datetime import timedelta

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from reversion import create_revision, set_user
from reversion.models import Version

from articles.models import Article, AutosavedDraft, EditingSession
from pagecache.models import ContentVersion
from tests.factories import (
    DESK_EDITOR,
    article_form_data,
    make_article,
    make_desk_editor,
    make_draft,
    make_journalist,
    make_section,
    make_staff,
)


def admin_url(page, *args):
    return reverse(f"admin:articles_article_{page}", args=args)


def save_version(article, user, **changes):
    for field, value in changes.items():
        setattr(article, field, value)
    with create_revision():
        set_user(user)
        article.save()
    return Version.objects.get_for_object(article).first()


class AutosaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor(first_name="Clara", last_name="Dienst")
        cls.section = make_section()
        cls.article = make_article(section=cls.section, headline="Die Fassung online")
        save_version(cls.article, cls.desk)

    def setUp(self):
        self.client.force_login(self.desk)

    def autosave(self, article=None, **typed):
        url = (
            admin_url("autosave", article.pk) if article else admin_url("autosave_new")
        )
        return self.client.post(url, article_form_data(article, **typed))

    def test_a_published_story_is_autosaved_beside_it_never_into_it(self):
        before = Article.objects.get(pk=self.article.pk)
        content_version = ContentVersion.objects.current()
        versions = Version.objects.get_for_object(self.article).count()

        response = self.autosave(self.article, headline="Halb getippte Überschrift")

        self.assertEqual(response.status_code, 200)
        self.assertRegex(
            response.json()["message"],
            r"^Entwurf automatisch gespeichert um \d\d:\d\d$",
        )
        draft = AutosavedDraft.objects.get(user=self.desk, article=self.article)
        self.assertEqual(draft.data["headline"], "Halb getippte Überschrift")
        self.assertEqual(draft.started_from, before.edit_token)
        after = Article.objects.get(pk=self.article.pk)
        self.assertEqual(after.headline, "Die Fassung online")
        self.assertEqual(after.edit_token, before.edit_token)
        self.assertEqual(after.updated_at, before.updated_at)
        self.assertEqual(Version.objects.get_for_object(self.article).count(), versions)
        self.assertEqual(ContentVersion.objects.current(), content_version)
        reader = Client().get(self.article.get_absolute_url())
        self.assertContains(reader, "Die Fassung online")
        self.assertNotContains(reader, "Halb getippte")

    def test_each_autosave_overwrites_the_persons_one_draft(self):
        self.autosave(self.article, headline="Erst so")
        self.autosave(self.article, headline="Dann so")

        draft = AutosavedDraft.objects.get()
        self.assertEqual(draft.data["headline"], "Dann so")

    def test_the_reopened_form_offers_the_draft_and_shows_it_when_asked(self):
        self.autosave(self.article, headline="Was ich tippte", lead="Mein Vorspann")

        offered = self.client.get(admin_url("change", self.article.pk))
        restored = self.client.get(admin_url("change", self.article.pk) + "?entwurf=1")

        self.assertContains(offered, "automatisch gespeicherten Entwurf vom")
        self.assertContains(offered, "Entwurf wiederherstellen")
        self.assertContains(offered, "Entwurf verwerfen")
        self.assertContains(offered, 'value="Die Fassung online"')
        self.assertContains(
            restored, "ist wiederhergestellt, aber noch nicht gesichert"
        )
        self.assertContains(restored, 'value="Was ich tippte"')
        self.assertContains(restored, "Mein Vorspann")
        self.assertNotContains(restored, "Entwurf wiederherstellen")

    def test_a_restored_draft_is_refused_if_someone_saved_since(self):
        self.autosave(self.article, headline="Meine Fassung")
        colleague = make_desk_editor()
        save_version(self.article, colleague, headline="Fassung der Kollegin")
        restored = self.client.get(admin_url("change", self.article.pk) + "?entwurf=1")
        form = restored.context["adminform"].form
        data = article_form_data(
            self.article,
            headline="Meine Fassung",
            loaded_edit_token=form["loaded_edit_token"].value(),
        )

        response = self.client.post(admin_url("change", self.article.pk), data)

        self.assertContains(response, "Nicht gespeichert:")
        self.assertContains(response, admin_url("changes", self.article.pk) + "?seit=")
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Fassung der Kollegin")
        self.assertTrue(AutosavedDraft.objects.filter(user=self.desk).exists())

    def test_a_draft_with_nonsense_in_its_choices_still_opens(self):
        AutosavedDraft.keep(
            self.desk,
            self.article,
            {"headline": "Trotzdem da", "section": "kaputt", "authors": ["x"]},
            self.article.edit_token,
        )

        restored = self.client.get(admin_url("change", self.article.pk) + "?entwurf=1")

        self.assertContains(restored, 'value="Trotzdem da"')

    def test_a_new_article_never_saved_is_kept_and_offered(self):
        self.autosave(headline="Noch ohne Adresse")

        offered = self.client.get(admin_url("add"))
        restored = self.client.get(admin_url("add") + "?entwurf=1")

        self.assertContains(offered, "Entwurf wiederherstellen")
        self.assertContains(restored, 'value="Noch ohne Adresse"')
        draft = AutosavedDraft.objects.get()
        self.assertIsNone(draft.article)
        self.assertIsNone(draft.started_from)

    def test_saving_the_form_spends_the_draft_and_long_forgotten_ones(self):
        colleague = make_desk_editor()
        self.autosave(self.article, headline="Gleich gesichert")
        AutosavedDraft.keep(colleague, self.article, {"headline": "Ihre"}, None)
        AutosavedDraft.keep(colleague, None, {"headline": "Vergessen"}, None)
        AutosavedDraft.objects.filter(article=None).update(
            saved_at=timezone.now() - timedelta(days=31)
        )
        self.article.refresh_from_db()

        response = self.client.post(
            admin_url("change", self.article.pk),
            article_form_data(self.article, headline="Gleich gesichert"),
        )

        self.assertEqual(response.status_code, 302)
        self.assertQuerySetEqual(
            AutosavedDraft.objects.values_list("user", "data__headline"),
            [(colleague.pk, "Ihre")],
        )

    def test_saving_a_new_article_spends_the_new_articles_draft(self):
        self.autosave(headline="Bald gesichert")

        self.client.post(
            admin_url("add"),
            article_form_data(headline="Bald gesichert", section=self.section.pk),
        )

        self.assertTrue(Article.objects.filter(headline="Bald gesichert").exists())
        self.assertFalse(AutosavedDraft.objects.exists())

    def test_discarding_removes_the_draft(self):
        self.autosave(self.article, headline="Doch nicht")

        response = self.client.post(admin_url("discard_draft", self.article.pk))

        self.assertEqual(
            response.json()["message"], "Automatisch gespeicherter Entwurf verworfen."
        )
        self.assertFalse(AutosavedDraft.objects.exists())
        page = self.client.get(admin_url("change", self.article.pk))
        self.assertNotContains(page, "Entwurf wiederherstellen")

    def test_uploads_and_the_edit_token_are_not_part_of_the_draft(self):
        self.autosave(self.article, image="kein-bild.jpg")

        draft = AutosavedDraft.objects.get()
        self.assertNotIn("image", draft.data)
        self.assertNotIn("loaded_edit_token", draft.data)
        self.assertNotIn("csrfmiddlewaretoken", draft.data)

    def test_an_autosave_is_one_update_after_the_admins_checks(self):
        self.autosave(self.article, headline="Erster Stand")
        url = admin_url("autosave", self.article.pk)
        data = article_form_data(self.article, headline="Zweiter Stand")
        # Session, user, second factor, permissions (2), the article and its
        # object rule, then one UPDATE of the draft.
        with self.assertNumQueries(8):
            self.client.post(url, data)


class AutosaveRulesTests(TestCase):
    """Autosave is allowed exactly where the form may be saved."""

    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist()
        cls.desk = make_desk_editor()
        cls.ad_manager = make_staff("Anzeigenverwaltung")
        cls.own_draft = make_draft(created_by=cls.journalist)
        cls.colleagues_draft = make_draft(created_by=make_journalist())
        cls.published = make_article(created_by=cls.journalist)

    def test_each_role_autosaves_exactly_where_it_may_save(self):
        cases = [
            (self.journalist, self.own_draft, 200),
            (self.journalist, self.colleagues_draft, 403),
            (self.journalist, self.published, 403),
            (self.journalist, None, 200),
            (self.desk, self.colleagues_draft, 200),
            (self.desk, self.published, 200),
            (self.ad_manager, self.published, 403),
            (self.ad_manager, self.own_draft, 404),
            (self.ad_manager, None, 403),
        ]
        for user, article, expected in cases:
            self.client.force_login(user)
            url = (
                admin_url("autosave", article.pk)
                if article
                else admin_url("autosave_new")
            )
            with self.subTest(user=user.groups.get().name, article=article):
                response = self.client.post(url, {"headline": "Versuch"})

                self.assertEqual(response.status_code, expected)
                self.assertEqual(
                    AutosavedDraft.objects.filter(user=user, article=article).exists(),
                    expected == 200,
                )
                heartbeat = (
                    self.client.post(
                        admin_url("heartbeat", article.pk), {"key": uuid.uuid4()}
                    )
                    if article
                    else None
                )
                if heartbeat:
                    self.assertEqual(heartbeat.status_code, expected)

    def test_anonymous_visitors_and_posts_without_csrf_token_are_refused(self):
        anonymous = self.client.post(admin_url("autosave", self.own_draft.pk))
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.journalist)
        forged = client.post(admin_url("autosave", self.own_draft.pk))
        self.client.force_login(self.journalist)
        read = self.client.get(admin_url("autosave", self.own_draft.pk))

        self.assertEqual(anonymous.status_code, 302)
        self.assertTrue(anonymous.url.startswith(reverse("admin:login")))
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(read.status_code, 405)
        self.assertFalse(AutosavedDraft.objects.exists())

    def test_a_read_only_form_and_a_restore_page_do_not_autosave(self):
        self.client.force_login(self.journalist)
        version = save_version(self.published, self.desk)
        read_only = self.client.get(admin_url("change", self.published.pk))
        self.client.force_login(self.desk)
        restore = self.client.get(admin_url("revision", self.published.pk, version.pk))
        editable = self.client.get(admin_url("change", self.published.pk))

        self.assertNotContains(read_only, "data-autosave-url")
        self.assertNotContains(restore, "data-autosave-url")
        self.assertContains(editable, "data-autosave-url")
        self.assertContains(editable, "articles/admin/editing")


class PresenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor(first_name="Clara", last_name="Dienst")
        cls.colleague = make_staff(
            DESK_EDITOR, first_name="Nora", last_name="Nachtschicht"
        )
        cls.article = make_article(headline="Vor dem Gipfel")
        cls.opened = save_version(cls.article, cls.desk)

    def setUp(self):
        self.client.force_login(self.desk)
        self.key = uuid.uuid4()

    def beat(self, client=None, key=None, token=None, **extra):
        client = client or self.client
        token = token or Article.objects.get(pk=self.article.pk).edit_token
        return client.post(
            admin_url("heartbeat", self.article.pk),
            {"key": key or self.key, "loaded_edit_token": token, **extra},
        )

    def colleagues_client(self):
        client = Client()
        client.force_login(self.colleague)
        return client

    def test_everyone_on_the_form_sees_who_else_has_it_open_and_since_when(self):
        self.beat(self.colleagues_client(), key=uuid.uuid4())

        answer = self.beat().json()

        since = f"{timezone.localtime():%H:%M}"
        self.assertEqual(
            answer["others"],
            [{"name": "Nora Nachtschicht", "since": since, "is_me": False}],
        )
        self.assertIsNone(answer["saved"])

    def test_a_second_window_of_ones_own_is_named_as_such(self):
        self.beat(key=uuid.uuid4())

        answer = self.beat().json()

        self.assertEqual(answer["others"][0]["is_me"], True)

    def test_a_closed_or_silent_form_is_no_longer_shown(self):
        colleague = self.colleagues_client()
        left = uuid.uuid4()
        silent = uuid.uuid4()
        self.beat(colleague, key=left)
        self.beat(colleague, key=silent)
        self.beat(colleague, key=left, left="1")
        EditingSession.objects.filter(key=silent).update(
            seen_at=timezone.now() - timedelta(minutes=1)
        )

        answer = self.beat().json()

        self.assertEqual(answer["others"], [])
        self.assertFalse(EditingSession.objects.filter(key=left).exists())

    def test_someone_elses_save_is_announced_with_the_diff(self):
        opened_with = Article.objects.get(pk=self.article.pk).edit_token
        save_version(self.article, self.colleague, headline="Nach dem Gipfel")

        saved = self.beat(token=opened_with).json()["saved"]

        self.assertRegex(
            saved["message"],
            r"^Nora Nachtschicht hat den Artikel um \d\d:\d\d Uhr gesichert\.",
        )
        self.assertEqual(
            saved["changes_url"],
            admin_url("changes", self.article.pk) + f"?seit={opened_with}",
        )

    def test_a_heartbeat_is_never_cached_and_changes_no_reader_page(self):
        content_version = ContentVersion.objects.current()

        response = self.beat()

        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])
        self.assertEqual(ContentVersion.objects.current(), content_version)

    def test_a_heartbeat_without_its_window_is_refused_clearly(self):
        response = self.client.post(
            admin_url("heartbeat", self.article.pk), {"key": "kaputt"}
        )

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"error": "Fenster unbekannt."})

    def test_a_heartbeat_takes_few_queries(self):
        self.beat(self.colleagues_client(), key=uuid.uuid4())
        token = Article.objects.get(pk=self.article.pk).edit_token
        # Session, user, second factor, permissions (2), the article and its
        # object rule; old windows removed, this one noted, the others read.
        with self.assertNumQueries(10):
            self.beat(token=token)
        save_version(self.article, self.colleague, headline="Neu")
        # And the newest version's author, once someone saved.
        with self.assertNumQueries(11):
            self.beat(token=token)


class ChangesSinceOpeningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = make_desk_editor()
        cls.article = make_article(headline="Vor dem Gipfel")
        cls.opened = save_version(cls.article, cls.desk)
        cls.token = cls.article.edit_token
        save_version(cls.article, cls.desk, headline="Zwischenstand")
        cls.latest = save_version(cls.article, cls.desk, headline="Nach dem Gipfel")

    def setUp(self):
        self.client.force_login(self.desk)

    def test_the_link_opens_the_diff_from_the_opened_version_to_the_newest(self):
        response = self.client.get(
            admin_url("changes", self.article.pk) + f"?seit={self.token}"
        )

        self.assertRedirects(
            response,
            admin_url("compare", self.article.pk)
            + f"?version_id1={self.opened.pk}&version_id2={self.latest.pk}",
        )
        diff = self.client.get(response.url)
        self.assertContains(diff, "Vor dem Gipfel")
        self.assertContains(diff, "Nach dem Gipfel")

    def test_an_unknown_version_leads_to_the_history_with_a_word(self):
        for since in (uuid.uuid4(), "kaputt"):
            with self.subTest(since=since):
                response = self.client.get(
                    admin_url("changes", self.article.pk) + f"?seit={since}",
                    follow=True,
                )

                self.assertEqual(
                    response.redirect_chain[0][0],
                    admin_url("history", self.article.pk),
                )
                self.assertContains(response, "nicht in der Versionsgeschichte")

    def test_the_stale_form_links_to_this_diff(self):
        stale = article_form_data(self.article, headline="Meine Fassung")
        stale["loaded_edit_token"] = str(self.token)

        response = self.client.post(admin_url("change", self.article.pk), stale)

        self.assertContains(
            response,
            f'href="{admin_url("changes", self.article.pk)}?seit={self.token}"',
        )

    def test_who_may_not_read_the_article_sees_no_diff(self):
        draft = make_draft()
        save_version(draft, self.desk)
        self.client.force_login(make_staff("Anzeigenverwaltung"))

        response = self.client.get(
            admin_url("changes", draft.pk) + f"?seit={draft.edit_token}"
        )

        self.assertEqual(response.status_code, 403)


class FormQueryCountTests(TestCase):
    """The article form's GET with autosave and presence: one query more
    than before (the person's draft), the same for every role."""

    @classmethod
    def setUpTestData(cls):
        cls.section = make_section()
        cls.journalist = make_journalist()
        cls.desk = make_desk_editor()
        cls.draft = make_draft(section=cls.section, created_by=cls.journalist)

    def test_the_form_reads_the_draft_once(self):
        for user in (self.journalist, self.desk):
            self.client.force_login(user)
            for url, queries in (
                (admin_url("add"), 10),
                # Two more: whether the article came from an agency, and the
                # gallery's pictures (galleries' inline).
                (admin_url("change", self.draft.pk), 26),
            ):
                self.client.get(url)  # content types and the like, cached
                with self.subTest(user=user.groups.get().name, url=url):
                    with self.assertNumQueries(queries):
                        self.client.get(url)
