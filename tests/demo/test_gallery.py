from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from articles.models import Article, ArticleKind, TopicBox
from galleries.models import GalleryPicture
from galleries.templatetags.galleries import AD_EVERY


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


class DemoGalleryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("load_demo_content")
        run("load_demo_ads")
        run("load_demo_gallery")
        cls.gallery = Article.objects.get(kind=ArticleKind.GALLERY)

    def test_a_published_gallery_of_pictures_with_all_their_texts(self):
        pictures = list(GalleryPicture.objects.of(self.gallery))

        self.assertTrue(self.gallery.is_published)
        self.assertGreater(len(pictures), AD_EVERY)
        self.assertEqual(self.gallery.publication_problems(), [])
        self.assertTrue(all(picture.renditions for picture in pictures))

    def test_its_pages_show_the_pictures_and_an_ad_after_the_fourth(self):
        response = self.client.get(
            f"{self.gallery.get_absolute_url()}bild-{AD_EVERY}/",
            HTTP_X_NEWSROOM_SHARED_COPY="1",
        )

        self.assertContains(response, f"Bild {AD_EVERY} von 9")
        self.assertContains(response, "slot=bilderstrecke")

    def test_another_kultur_story_shows_it_as_a_block_in_its_body(self):
        box = TopicBox.objects.get(target=self.gallery)

        response = self.client.get(box.article.get_absolute_url())

        self.assertContains(response, "gallery-teaser")

    def test_loading_again_changes_nothing(self):
        self.assertIn("besteht schon", run("load_demo_gallery"))

        self.assertEqual(Article.objects.filter(kind=ArticleKind.GALLERY).count(), 1)
