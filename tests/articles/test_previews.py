"""The newsroom's preview shows "Mehr zum Thema" boxes whose target is not
published yet, marked; readers and the shared preview link never do."""

from django.test import TestCase
from django.urls import reverse

from articles.models import PreviewLink
from tests.factories import (
    make_article,
    make_draft,
    make_journalist,
    make_scheduled,
    make_staff,
    make_topic_box,
)

AD_MANAGER = "Anzeigenverwaltung"
MARK = "noch nicht veröffentlicht"
# The byline of an unpublished article says so too; count the boxes' notes.
NOTE = 'class="topic-box__note"'


class UnpublishedTopicBoxTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.draft = make_draft(
            headline="Der Haushalt steht",
            body="<p>Erster Absatz.</p><p>Zweiter Absatz.</p>",
        )
        cls.published = make_article(
            headline="Der Haushalt wackelt",
            body="<p>Erster Absatz.</p><p>Zweiter Absatz.</p>",
        )
        cls.background = make_draft(headline="Was im Haushalt steckt")
        cls.scheduled = make_scheduled(headline="Der Kämmerer im Gespräch")
        cls.old = make_article(headline="Der Haushalt von 2025")
        for article in (cls.draft, cls.published):
            make_topic_box(article, cls.background, after_paragraph=1)
            make_topic_box(article, cls.scheduled, after_paragraph=1)
            make_topic_box(article, cls.old, after_paragraph=2)

    def preview(self, article):
        return self.client.get(reverse("articles:article_preview", args=[article.pk]))

    def test_staff_preview_shows_them_where_they_will_stand_marked(self):
        self.client.force_login(make_journalist())

        response = self.preview(self.draft)

        body = response.content.decode()
        self.assertLess(
            body.index("Erster Absatz."), body.index(self.background.headline)
        )
        self.assertLess(
            body.index(self.background.headline), body.index("Zweiter Absatz.")
        )
        self.assertContains(response, f"{MARK} (Entwurf)")
        self.assertContains(response, f"{MARK} (Geplant)")
        self.assertContains(response, NOTE, count=2)
        self.assertContains(response, self.old.headline)
        # The reader's address would not answer yet: the box opens its preview.
        self.assertContains(
            response, reverse("articles:article_preview", args=[self.background.pk])
        )

    def test_staff_preview_of_a_published_article_marks_them_too(self):
        self.client.force_login(make_journalist())

        response = self.preview(self.published)

        self.assertContains(response, NOTE, count=2)

    def test_the_public_page_still_hides_them(self):
        response = self.client.get(self.published.get_absolute_url())

        self.assertNotContains(response, self.background.headline)
        self.assertNotContains(response, self.scheduled.headline)
        self.assertNotContains(response, NOTE)
        self.assertContains(response, self.old.headline)

    def test_the_shared_preview_link_hides_them(self):
        # The link goes outside the newsroom; other unpublished stories don't.
        link = PreviewLink.objects.create(article=self.draft)

        response = self.client.get(link.get_absolute_url())

        self.assertContains(response, self.draft.headline)
        self.assertNotContains(response, self.background.headline)
        self.assertNotContains(response, NOTE)
        self.assertContains(response, self.old.headline)

    def test_staff_who_read_only_published_articles_do_not_see_them(self):
        self.client.force_login(make_staff(AD_MANAGER))

        response = self.preview(self.published)

        self.assertContains(response, self.published.headline)
        self.assertNotContains(response, self.background.headline)
        self.assertNotContains(response, NOTE)
