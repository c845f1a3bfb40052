from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Section
from tests.factories import (
    article_form_data,
    image_file,
    make_article,
    make_author,
    make_creative,
    make_editor,
    make_section,
)

# Sign-in records that django-axes writes, and the background jobs; nobody
# adds one by hand.
WRITTEN_BY_THE_SITE = {
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "jobs.Job",
}
# Added elsewhere than the admin's add form: ticker entries on their desk,
# agency items by the agencies (agency's ingest).
ADDED_ELSEWHERE = {"live.Entry", "agency.AgencyItem"}


class AdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.article = make_article(tags=["Südkorea"], authors=[make_author()])
        make_creative()

    def setUp(self):
        self.client.force_login(self.editor)

    def test_every_registered_model_has_working_list_add_and_change_pages(self):
        for model in site._registry:
            opts = model._meta
            with self.subTest(model=opts.label):
                changelist = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_changelist"
                )
                self.assertEqual(self.client.get(changelist).status_code, 200)
                self.assertEqual(
                    self.client.get(changelist, {"q": "ü"}).status_code, 200
                )
                add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
                expected = (
                    403 if opts.label in WRITTEN_BY_THE_SITE | ADDED_ELSEWHERE else 200
                )
                self.assertEqual(self.client.get(add).status_code, expected)
                first = model.objects.first()
                if first is not None:
                    change = reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[first.pk],
                    )
                    self.assertEqual(self.client.get(change).status_code, 200)

    def test_admin_speaks_german(self):
        response = self.client.get(reverse("admin:articles_article_changelist"))

        self.assertContains(response, "Artikel zur Änderung auswählen")

    def test_autocomplete_finds_sections_authors_and_articles(self):
        for model_name, field_name, term in [
            ("article", "section", self.article.section.name),
            ("article", "authors", "Autorin"),
            ("topicbox", "target", self.article.headline[:8]),
        ]:
            with self.subTest(field=field_name):
                response = self.client.get(
                    reverse("admin:autocomplete"),
                    {
                        "term": term,
                        "app_label": "articles",
                        "model_name": model_name,
                        "field_name": field_name,
                    },
                )

                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.json()["results"])


class ArticleAdminFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.section = make_section(name="Politik", slug="politik")

    def setUp(self):
        self.client.force_login(self.editor)

    def post_article(self, **overrides):
        data = article_form_data(section=self.section.pk, **overrides)
        return self.client.post(reverse("admin:articles_article_add"), data)

    def test_saving_without_a_slug_makes_one_from_the_headline(self):
        response = self.post_article(tags="Föderalismus, Haushalt")

        self.assertEqual(response.status_code, 302)
        article = Article.objects.get()
        self.assertEqual(article.slug, "laender-streiten-ueber-zuschuesse")
        self.assertEqual(sorted(article.tags.names()), ["Föderalismus", "Haushalt"])

    def test_a_file_that_is_not_an_image_is_refused_in_german_and_nothing_is_saved(
        self,
    ):
        fake = SimpleUploadedFile("bild.jpg", b"kein Bild", content_type="image/jpeg")

        response = self.post_article(image=fake)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bitte ein gültiges Bild hochladen.")
        self.assertFalse(Article.objects.exists())

    def test_a_real_image_is_accepted(self):
        response = self.post_article(image=image_file())

        self.assertEqual(response.status_code, 302)
        self.assertEqual(Article.objects.get().image_width, 1600)

    def test_a_duplicate_slug_in_the_section_is_a_form_error(self):
        make_article(section=self.section, headline="Schon da", slug="schon-da")

        response = self.post_article(slug="schon-da")

        self.assertContains(response, "In diesem Ressort gibt es schon einen Artikel")
        self.assertEqual(Article.objects.count(), 1)

    def test_sections_are_added_below_their_parent(self):
        news = make_section(name="News", slug="news")

        response = self.client.post(
            reverse("admin:articles_section_add"),
            {"name": "Außenpolitik", "slug": "", "parent": news.pk, "position": "1"},
        )

        self.assertEqual(response.status_code, 302)
        self.assertTrue(Section.objects.filter(path="news/aussenpolitik").exists())

    def test_a_topic_box_can_be_added_inline(self):
        target = make_article(headline="Vorgeschichte")

        response = self.post_article(
            **{
                "topic_boxes-TOTAL_FORMS": "1",
                "topic_boxes-0-target": target.pk,
                "topic_boxes-0-after_paragraph": "1",
            }
        )

        self.assertEqual(response.status_code, 302)
        article = Article.objects.exclude(pk=target.pk).get()
        self.assertQuerySetEqual(
            article.topic_boxes.values_list("target", flat=True), [target.pk]
        )
