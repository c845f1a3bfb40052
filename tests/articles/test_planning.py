"""The desk's plan: who reads it, who acts on it, and what a click does."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from reversion.models import Version

from articles.admin.planning import DESK_ACTIONS
from articles.models import Article, ArticleStatus
from tests.factories import (
    make_article,
    make_desk_editor,
    make_draft,
    make_journalist,
    make_section,
    make_staff,
)

BERLIN = ZoneInfo("Europe/Berlin")
# A Thursday morning in Berlin.
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN)
PLANNING = reverse("admin:articles_article_planning")
READER_HOST = "zeitung.example"


def at(day_offset, hour, minute=0):
    """A Berlin time `day_offset` days after NOW's day."""
    return (NOW + timedelta(days=day_offset)).replace(hour=hour, minute=minute)


def headlines(response, group):
    return [
        article.headline
        for plan_group in response.context["groups"]
        if plan_group.key == group
        for article, _ in plan_group.rows
    ]


class PlanTestCase(TestCase):
    def setUp(self):
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        self.section = make_section(name="Politik")
        self.desk = make_desk_editor()
        self.journalist = make_journalist()

    def act(self, article, action, edit_token=None):
        return self.client.post(
            PLANNING,
            {
                "article": article.pk,
                "edit_token": edit_token or article.edit_token,
                "action": action,
            },
            follow=True,
        )

    def messages(self, response):
        return [str(message) for message in response.context["messages"]]


class PlanContentTests(PlanTestCase):
    def test_the_plan_shows_review_today_tomorrow_and_the_last_day_in_order(self):
        make_article(section=self.section, headline="Review", status="review")
        make_article(section=self.section, headline="Heute 18", published_at=at(0, 18))
        make_article(section=self.section, headline="Heute 11", published_at=at(0, 11))
        make_article(section=self.section, headline="Morgen 7", published_at=at(1, 7))
        make_article(section=self.section, headline="Übermorgen", published_at=at(2, 7))
        make_article(section=self.section, headline="Gestern", published_at=at(-1, 10))
        make_article(section=self.section, headline="Früh", published_at=at(0, 6))
        make_article(section=self.section, headline="Vor Tagen", published_at=at(-3, 6))
        make_draft(section=self.section, headline="Entwurf")
        self.client.force_login(self.desk)

        response = self.client.get(PLANNING)

        self.assertEqual(headlines(response, "review"), ["Review"])
        self.assertEqual(
            headlines(response, "scheduled-heute"), ["Heute 11", "Heute 18"]
        )
        self.assertEqual(headlines(response, "scheduled-morgen"), ["Morgen 7"])
        self.assertEqual(headlines(response, "published"), ["Früh", "Gestern"])
        self.assertContains(response, "Geplant für morgen, Freitag, 4. Dezember")
        self.assertContains(response, "18:00 Uhr")
        self.assertContains(response, "2.12., 10:00 Uhr")

    def test_the_page_costs_the_same_queries_however_many_articles(self):
        self.client.force_login(self.desk)
        # Session, user, their second factor (asked twice), their
        # permissions (2), the articles.
        with self.assertNumQueries(7):
            self.client.get(PLANNING)
        for hour in range(10, 20):
            make_article(section=self.section, published_at=at(0, hour))
            make_article(section=self.section, status="review")
            make_article(section=self.section, published_at=at(0, hour - 10))

        with self.assertNumQueries(7):
            response = self.client.get(PLANNING)
        self.assertEqual(len(headlines(response, "scheduled-heute")), 10)

    def test_the_desk_gets_the_actions_each_state_allows(self):
        make_article(section=self.section, headline="Review", status="review")
        make_article(section=self.section, published_at=at(0, 18))
        make_article(section=self.section, published_at=at(0, 6))
        self.client.force_login(self.desk)

        response = self.client.get(PLANNING)

        actions = {
            group.key: [name for name, _ in group.rows[0][1]]
            for group in response.context["groups"]
            if group.rows
        }
        self.assertEqual(
            actions,
            {
                "review": ["publish_now", "return_to_draft"],
                "scheduled-heute": ["publish_now", "unschedule"],
                "published": ["withdraw"],
            },
        )
        self.assertContains(response, "Jetzt veröffentlichen", count=2)
        self.assertContains(response, 'class="desk-plan__form"', count=3)


class PlanPermissionTests(PlanTestCase):
    def test_a_journalist_reads_the_plan_without_buttons(self):
        make_article(section=self.section, headline="Review", status="review")
        self.client.force_login(self.journalist)

        response = self.client.get(PLANNING)

        self.assertEqual(headlines(response, "review"), ["Review"])
        self.assertNotContains(response, '<form method="post" class="desk-plan')
        self.assertContains(response, "Vorschau")

    def test_a_journalist_cannot_act_from_the_plan(self):
        article = make_article(section=self.section, status="review")
        self.client.force_login(self.journalist)

        for action in DESK_ACTIONS:
            with self.subTest(action=action):
                self.assertEqual(self.act(article, action).status_code, 403)
        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.REVIEW)

    def test_ad_managers_do_not_see_the_plan(self):
        self.client.force_login(make_staff("Anzeigenverwaltung"))

        self.assertEqual(self.client.get(PLANNING).status_code, 403)
        index = self.client.get(reverse("admin:index"))
        self.assertNotContains(index, PLANNING)

    def test_the_index_and_the_article_list_link_to_the_plan(self):
        self.client.force_login(self.journalist)

        for url in (
            reverse("admin:index"),
            reverse("admin:articles_article_changelist"),
        ):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), f'href="{PLANNING}"')


class PlanActionTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.desk)

    def test_publishing_a_reviewed_article_now(self):
        article = make_article(section=self.section, status="review", published_at=None)

        response = self.act(article, "publish_now")

        self.assertIn("1 Artikel: veröffentlicht.", self.messages(response))
        article.refresh_from_db()
        self.assertTrue(article.is_published)
        self.assertEqual(article.published_at, NOW)
        self.assertEqual(headlines(response, "published"), [article.headline])
        self.assertEqual(
            Version.objects.get_for_object(article).first().revision.comment,
            "veröffentlicht",
        )

    def test_publishing_a_scheduled_article_early(self):
        article = make_article(section=self.section, published_at=at(0, 18))

        self.act(article, "publish_now")

        article.refresh_from_db()
        self.assertEqual(article.published_at, NOW)

    def test_taking_an_article_off_the_plan_puts_it_back_into_review(self):
        article = make_article(section=self.section, published_at=at(1, 7))

        response = self.act(article, "unschedule")

        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.REVIEW)
        self.assertIsNone(article.published_at)
        self.assertEqual(headlines(response, "review"), [article.headline])

    def test_sending_an_article_back_to_its_writer(self):
        article = make_article(section=self.section, status="review")

        self.act(article, "return_to_draft")

        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.DRAFT)

    def test_withdrawing_a_published_article(self):
        article = make_article(section=self.section, published_at=at(0, 6))

        self.act(article, "withdraw")

        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.WITHDRAWN)

    def test_an_article_changed_meanwhile_is_left_alone_with_a_message(self):
        article = make_article(section=self.section, status="review")
        shown_token = article.edit_token
        Article.objects.get(pk=article.pk).return_to_draft()

        response = self.act(article, "publish_now", edit_token=shown_token)

        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "wurde gerade von jemand anderem geändert", *self.messages(response)
        )
        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.DRAFT)

    def test_an_action_the_state_no_longer_allows_says_why(self):
        article = make_article(section=self.section, published_at=at(0, 6))

        response = self.act(article, "unschedule")

        self.assertIn(
            "Nur geplante Artikel können aus der Planung genommen werden.",
            self.messages(response)[0],
        )
        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.PUBLISHED)

    def test_publishing_an_incomplete_article_names_what_is_missing(self):
        article = make_article(section=self.section, status="review", lead=" ")

        response = self.act(article, "publish_now")

        self.assertIn("Der Vorspann fehlt.", self.messages(response)[0])
        article.refresh_from_db()
        self.assertEqual(article.status, ArticleStatus.REVIEW)

    def test_a_deleted_article_or_broken_request_gets_a_message_not_an_error(self):
        article = make_article(section=self.section, status="review")
        token = article.edit_token
        Article.objects.filter(pk=article.pk).delete()

        cases = {
            "Diesen Artikel gibt es nicht mehr.": {
                "article": article.pk,
                "edit_token": token,
                "action": "publish_now",
            },
            "Unbekannte Aktion.": {"article": 1, "edit_token": token, "action": "x"},
            "Die Anfrage war unvollständig. Bitte laden Sie die Planung neu.": {
                "article": "abc",
                "edit_token": "kaputt",
                "action": "withdraw",
            },
        }
        for message, data in cases.items():
            with self.subTest(message=message):
                response = self.client.post(PLANNING, data, follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.messages(response), [message])


@override_settings(ALLOWED_HOSTS=[READER_HOST, "testserver"])
class PlanPageCacheTests(PlanTestCase):
    def front_page(self):
        return Client().get(reverse("articles:front_page"), HTTP_HOST=READER_HOST)

    def reader_sees(self, headline):
        return headline in self.front_page().content.decode()

    def test_an_article_published_early_from_the_plan_is_on_the_front_page_at_once(
        self,
    ):
        make_article(section=self.section, headline="Schon da", published_at=at(0, 8))
        article = make_article(
            section=self.section, headline="Erst heute Abend", published_at=at(0, 18)
        )
        self.assertFalse(self.reader_sees("Erst heute Abend"))
        self.assertTrue(self.reader_sees("Schon da"))
        self.assertEqual(self.front_page()["X-Cache"], "HIT")
        self.client.force_login(self.desk)

        self.act(article, "publish_now")

        self.assertTrue(self.reader_sees("Erst heute Abend"))

    def test_a_withdrawn_article_leaves_the_front_page_at_once(self):
        article = make_article(
            section=self.section, headline="Bald weg", published_at=at(0, 8)
        )
        self.assertTrue(self.reader_sees("Bald weg"))
        self.client.force_login(self.desk)

        self.act(article, "withdraw")

        self.assertFalse(self.reader_sees("Bald weg"))
