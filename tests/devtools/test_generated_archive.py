from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from articles.models import (
    Article,
    ArticleStatus,
    Author,
    Section,
    Tag,
    TaggedArticle,
)
from recommendations.lists import recommendations_for
from recommendations.models import RelatedArticle
from tests.factories import make_article


def generate(**options):
    call_command("generate_archive", stdout=StringIO(), **options)


class GenerateArchiveTests(TestCase):
    def test_fills_articles_tags_authors_and_nested_sections(self):
        generate(articles=300, tags=120, authors=12)

        self.assertEqual(Article.objects.count(), 300)
        self.assertEqual(Tag.objects.count(), 120)
        self.assertEqual(Author.objects.count(), 12)
        self.assertEqual(Section.objects.count(), 50)
        self.assertEqual(Section.objects.top_level().count(), 10)
        published = Article.objects.published().count()
        self.assertGreater(published, 270)
        self.assertTrue(Article.objects.filter(status=ArticleStatus.DRAFT).exists())
        self.assertTrue(Article.objects.scheduled().exists())
        self.assertFalse(
            Article.objects.filter(authors__isnull=True, tags__isnull=True).exists()
        )

    def test_tag_use_is_skewed_like_a_real_archive(self):
        generate(articles=400, tags=200)

        uses = sorted(
            (tag.tagged_articles.count() for tag in Tag.objects.all()), reverse=True
        )

        self.assertGreater(uses[0], 10 * max(uses[len(uses) // 2], 1))

    def test_every_published_article_has_a_stored_list_of_visible_articles(self):
        generate(articles=200)

        for article in Article.objects.published():
            with self.subTest(article=article.pk):
                targets = RelatedArticle.objects.filter(article=article)
                self.assertGreaterEqual(targets.count(), 4)
                self.assertFalse(
                    targets.exclude(
                        target__in=Article.objects.marked_published()
                    ).exists()
                )
                self.assertEqual(len(recommendations_for(article, 4)), 4)

    def test_pages_of_the_archive_answer(self):
        generate(articles=150)
        article = Article.objects.published().first()
        tag = (
            TaggedArticle.objects.filter(content_object__in=Article.objects.published())
            .first()
            .tag
        )

        for url in [
            "/",
            article.get_absolute_url(),
            article.section.get_absolute_url(),
            tag.get_absolute_url(),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_refuses_a_database_with_articles(self):
        make_article()

        with self.assertRaisesMessage(CommandError, "schon Artikel"):
            generate(articles=10)


class BenchSizeTests(TestCase):
    def test_prints_a_row_for_every_page(self):
        generate(articles=120)
        out = StringIO()

        call_command("bench_size", requests=1, stdout=out)

        table = out.getvalue()
        for page in [
            "Artikel",
            "Startseite",
            "Ressort, erste Seite",
            "Ressort, letzte Seite",
            "Thema",
            "Autor/in",
            "Suche",
            "Empfehlungsblock",
        ]:
            self.assertIn(f"| {page}", table)
