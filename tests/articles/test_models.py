from datetime import timedelta

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRedirect, Author, Section, Tag
from tests.factories import (
    make_article,
    make_draft,
    make_scheduled,
    make_section,
)


class SectionTests(TestCase):
    def test_path_is_the_chain_of_slugs(self):
        news = make_section(name="News", slug="news")
        politik = make_section(name="Politik", slug="politik", parent=news)

        self.assertEqual(politik.path, "news/politik")
        self.assertEqual(politik.get_absolute_url(), "/news/politik/")

    def test_slug_is_made_from_the_name_in_german(self):
        section = Section.objects.create(name="Bühne & Fußball")

        self.assertEqual(section.slug, "buehne-fussball")

    def test_a_valid_section_passes_validation(self):
        section = Section(name="Wissen")

        section.full_clean()

        self.assertEqual(section.slug, "wissen")

    def test_a_name_without_letters_needs_a_slug(self):
        section = Section(name="???")

        with self.assertRaisesMessage(
            ValidationError, "bitte einen Adressteil angeben"
        ):
            section.full_clean()

    def test_reserved_top_level_slugs_are_refused(self):
        for slug in ["autor", "thema", "suche", "feed", "statistik"]:
            with self.subTest(slug=slug):
                with self.assertRaisesMessage(ValidationError, "reserviert"):
                    Section(name=slug.capitalize(), slug=slug).full_clean()

    def test_duplicate_slug_under_the_same_parent_is_refused(self):
        news = make_section(slug="news")
        make_section(slug="politik", parent=news)

        with self.assertRaisesMessage(ValidationError, "gibt es unter dem"):
            Section(name="Politik", slug="politik", parent=news).full_clean()

    def test_a_section_cannot_move_below_itself(self):
        news = make_section(slug="news")
        politik = make_section(slug="politik", parent=news)
        news.parent = politik

        with self.assertRaisesMessage(ValidationError, "unter sich selbst"):
            news.full_clean()

    def test_renaming_a_section_moves_its_descendants(self):
        news = make_section(slug="news")
        politik = make_section(slug="politik", parent=news)
        land = make_section(slug="land", parent=politik)

        news.slug = "nachrichten"
        news.save()

        land.refresh_from_db()
        self.assertEqual(land.path, "nachrichten/politik/land")

    def test_ancestry_lists_outermost_first(self):
        news = make_section(slug="news")
        politik = make_section(slug="politik", parent=news)

        self.assertEqual(Section.objects.ancestry("news/politik"), [news, politik])


class ArticleSlugTests(TestCase):
    def test_slug_is_made_from_the_headline_in_german(self):
        article = make_article(headline="Südkorea und Japan: Größere Nähe")

        self.assertEqual(article.slug, "suedkorea-und-japan-groessere-naehe")

    def test_same_headline_in_one_section_gets_a_numbered_slug(self):
        section = make_section()
        make_article(headline="Wahl in Köln", section=section)

        second = make_article(headline="Wahl in Köln", section=section)

        self.assertEqual(second.slug, "wahl-in-koeln-2")

    def test_same_slug_in_another_section_is_allowed(self):
        first = make_article(headline="Bilanz")
        second = make_article(headline="Bilanz")

        self.assertEqual(first.slug, second.slug)

    def test_a_slug_taken_by_a_subsection_is_refused(self):
        news = make_section(slug="news")
        make_section(slug="politik", parent=news)
        article = Article(headline="Politik", slug="politik", lead="x", section=news)

        with self.assertRaisesMessage(ValidationError, "Unterressort"):
            article.full_clean()

    def test_tag_slugs_spell_umlauts_out(self):
        article = make_article(tags=["Südkorea", "Außenpolitik"])

        self.assertEqual(
            sorted(article.tags.values_list("slug", flat=True)),
            ["aussenpolitik", "suedkorea"],
        )

    def test_tags_and_authors_without_letters_still_get_an_address(self):
        authors = [Author.objects.create(name=name) for name in ("???", "!!!")]
        article = make_article(tags=["#", "?"], authors=authors)

        self.assertEqual(
            sorted(article.tags.values_list("slug", flat=True)), ["thema", "thema-1"]
        )
        self.assertEqual([author.slug for author in authors], ["autor", "autor-2"])
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)

    def test_tags_are_case_insensitive(self):
        make_article(tags=["Klimaschutz"])
        make_article(tags=["klimaschutz"])

        self.assertEqual(Tag.objects.filter(name__iexact="klimaschutz").count(), 1)


class ArticleBodyTests(TestCase):
    def test_body_is_sanitised_when_saved(self):
        article = make_article(
            body='<p onclick="x()">Hallo</p><script>alert(1)</script>'
        )

        article.refresh_from_db()
        self.assertEqual(article.body, "<p>Hallo</p>")


class PublishedTests(TestCase):
    def test_only_published_articles_in_the_past_are_published(self):
        live = make_article()
        make_draft()
        make_scheduled()

        self.assertQuerySetEqual(Article.objects.published(), [live])

    def test_scheduled_article_appears_when_its_time_comes(self):
        soon = make_article(published_at=timezone.now() + timedelta(seconds=1))
        self.assertFalse(soon.is_published)

        Article.objects.filter(pk=soon.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )

        self.assertQuerySetEqual(Article.objects.published(), [soon])

    def test_marked_published_includes_scheduled_and_expired_but_not_drafts(self):
        live = make_article()
        scheduled = make_scheduled()
        expired = make_article(unpublish_at=timezone.now() - timedelta(minutes=1))
        make_draft()

        self.assertQuerySetEqual(
            Article.objects.marked_published(),
            [live, scheduled, expired],
            ordered=False,
        )
        self.assertQuerySetEqual(Article.objects.published(), [live])

    def test_publishing_without_a_time_takes_the_current_one(self):
        article = make_article(published_at=None)

        self.assertIsNotNone(article.published_at)
        self.assertIs(article.is_published, True)


class ArticleRedirectTests(TestCase):
    def test_changing_the_slug_remembers_the_old_address(self):
        article = make_article(headline="Alt")
        old_url = article.get_absolute_url()

        article.slug = "neu"
        article.save()

        self.assertQuerySetEqual(
            ArticleRedirect.objects.values_list("old_path", flat=True), [old_url]
        )

    def test_moving_a_section_remembers_its_articles_old_addresses(self):
        news = make_section(slug="news")
        politik = make_section(slug="politik", parent=news)
        article = make_article(section=politik, headline="Wahl")

        news.slug = "nachrichten"
        news.save()

        self.assertQuerySetEqual(
            ArticleRedirect.objects.values_list("old_path", flat=True),
            ["/news/politik/wahl/"],
        )
        article.refresh_from_db()
        self.assertEqual(
            article.get_absolute_url(),
            reverse(
                "articles:article_detail",
                kwargs={"section_path": "nachrichten/politik", "slug": "wahl"},
            ),
        )
