from django.contrib.sitemaps import Sitemap

from .models import Article, Author, Section, Tag
from .pagination import KeyRangePaginator


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    # Search engines accept 50,000 addresses a file, but rendering that many
    # takes seconds; smaller files stay quick to build however large the
    # archive grows.
    limit = 5000

    def items(self):
        # The corrections decide modified_at.
        return Article.objects.published().for_cards().prefetch_related("corrections")

    @property
    def paginator(self):
        # Django's Paginator would COUNT every article and skip to the page
        # with OFFSET: its cost would grow with the archive.
        return KeyRangePaginator(self.items(), self.limit)

    def lastmod(self, item):
        # What the page itself says in dateModified: a save that readers
        # were not told about (a typo, a new tag) is no change for them.
        return item.modified_at

    def get_latest_lastmod(self):
        # Django's default loads every article to find the newest date.
        return Article.objects.published().last_modified()


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.order_by("path")


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return Tag.objects.with_published_articles().order_by("slug")


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return Author.objects.with_published_articles().order_by("slug")


SITEMAPS = {
    "artikel": ArticleSitemap,
    "ressorts": SectionSitemap,
    "themen": TagSitemap,
    "autoren": AuthorSitemap,
}


def add_sitemap(name, sitemap):
    """List `sitemap` in the sitemap index as sitemap-<name>.xml; apps call
    this from AppConfig.ready()."""
    SITEMAPS[name] = sitemap
