"""A journalist's own drafts lead their article list, marked as theirs."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    make_article,
    make_desk_editor,
    make_draft,
    make_journalist,
    make_section,
)

CHANGELIST = reverse("admin:articles_article_changelist")


def listed(response):
    return [article.headline for article in response.context["cl"].result_list]


class OwnDraftsFirstTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.journalist = make_journalist()
        colleague = make_journalist()
        section = make_section()
        now = timezone.now()
        make_article(section=section, headline="C veröffentlicht", published_at=now)
        make_draft(section=section, headline="D fremder Entwurf", created_by=colleague)
        make_draft(
            section=section, headline="B mein Entwurf", created_by=cls.journalist
        )
        make_article(
            section=section,
            headline="A mein Artikel in Prüfung",
            status="review",
            published_at=None,
            created_by=cls.journalist,
        )
        make_article(
            section=section,
            headline="E älter",
            published_at=now - timedelta(days=1),
        )
        make_draft(
            section=section, headline="F mein Entwurf", created_by=cls.journalist
        )

    def test_own_drafts_come_first_and_are_marked(self):
        self.client.force_login(self.journalist)

        response = self.client.get(CHANGELIST)

        self.assertEqual(listed(response)[:2], ["F mein Entwurf", "B mein Entwurf"])
        self.assertEqual(
            set(listed(response)[2:]),
            {
                "C veröffentlicht",
                "D fremder Entwurf",
                "A mein Artikel in Prüfung",
                "E älter",
            },
        )
        self.assertContains(response, "Ihr Entwurf", count=2)

    def test_sorting_by_a_column_sorts_within_both_parts(self):
        self.client.force_login(self.journalist)

        # Column 1 is the headline (0 holds the checkboxes).
        response = self.client.get(CHANGELIST, {"o": "1"})

        self.assertEqual(
            listed(response),
            [
                "B mein Entwurf",
                "F mein Entwurf",
                "A mein Artikel in Prüfung",
                "C veröffentlicht",
                "D fremder Entwurf",
                "E älter",
            ],
        )
        descending = self.client.get(CHANGELIST, {"o": "-1"})
        self.assertEqual(
            listed(descending)[:3],
            ["F mein Entwurf", "B mein Entwurf", "E älter"],
        )

    def test_the_desk_without_drafts_of_its_own_sees_the_usual_order(self):
        self.client.force_login(make_desk_editor())

        response = self.client.get(CHANGELIST, {"o": "1"})

        self.assertEqual(listed(response)[0], "A mein Artikel in Prüfung")
        self.assertNotContains(response, "Ihr Entwurf")

    def test_marking_costs_no_query(self):
        self.client.force_login(self.journalist)
        self.client.get(CHANGELIST)
        # The marks come with the articles' own query.
        with self.assertNumQueries(15):
            self.client.get(CHANGELIST)
        for number in range(5):
            make_draft(
                headline=f"Noch ein Entwurf {number}", created_by=self.journalist
            )
        with self.assertNumQueries(15):
            self.client.get(CHANGELIST)
