from io import StringIO

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase

from ads.models import AdSlot, Advertiser, Campaign, Creative
from articles.models import Article, Author, Section, Tag, TopicBox
from pages.models import Page


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Section,
            Author,
            Article,
            Tag,
            TopicBox,
            AdSlot,
            Advertiser,
            Campaign,
            Creative,
            Page,
        )
    }


class DemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=StringIO())
        call_command("load_demo_ads", stdout=StringIO())

    def test_loading_twice_changes_nothing(self):
        before = row_counts()
        updated = list(Article.objects.values_list("pk", "updated_at"))

        call_command("load_demo_content", stdout=StringIO())
        call_command("load_demo_ads", stdout=StringIO())

        self.assertEqual(row_counts(), before)
        self.assertEqual(list(Article.objects.values_list("pk", "updated_at")), updated)

    def test_a_realistic_site_is_there(self):
        self.assertGreaterEqual(Section.objects.top_level().count(), 3)
        self.assertGreaterEqual(Section.objects.filter(parent__isnull=False).count(), 3)
        self.assertGreaterEqual(Article.objects.published().count(), 24)
        self.assertGreaterEqual(Author.objects.count(), 3)
        self.assertTrue(Tag.objects.filter(name__regex=r"[äöüÄÖÜß]").exists())
        self.assertGreaterEqual(TopicBox.objects.count(), 10)

    def test_every_published_article_has_subheadings_and_a_credited_image(self):
        for article in Article.objects.published():
            with self.subTest(article=article.headline):
                self.assertIn("<h2>", article.body)
                card = article.renditions.name("16x9", 480, "webp")
                self.assertTrue(default_storage.exists(card), card)
                self.assertTrue(article.image_alt)
                self.assertTrue(article.image_credit)

    def test_every_slot_has_a_demo_creative(self):
        for slot in AdSlot.objects.all():
            with self.subTest(slot=slot.key):
                self.assertTrue(Creative.objects.servable_in(slot.key).exists())

    def test_every_demo_page_renders(self):
        urls = [article.get_absolute_url() for article in Article.objects.published()]
        urls += [section.get_absolute_url() for section in Section.objects.all()]

        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)


class DemoPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=StringIO())

    def test_the_publisher_has_an_impressum_a_privacy_page_and_a_contact(self):
        self.assertEqual(
            list(Page.objects.values_list("slug", flat=True)),
            ["impressum", "datenschutz", "kontakt"],
        )
        for page in Page.objects.all():
            with self.subTest(page=page.slug):
                self.assertIn("Demo-Verlag GmbH (erfunden)", page.body)
                response = self.client.get(page.get_absolute_url())
                self.assertContains(response, f"<h1>{page.title}</h1>", html=True)

    def test_the_privacy_page_says_what_the_site_keeps(self):
        text = Page.objects.get(slug="datenschutz").body

        for promise in ("keine Cookies", "Stunde", "IP-Adresse speichern wir nicht"):
            self.assertIn(promise, text)
