from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from pagecache.decorators import cache_page_with_dependencies

from . import cache_keys, feeds, views


class SectionPathConverter:
    """One or more slugs joined by slashes: news/politik."""

    regex = r"[-a-z0-9_]+(?:/[-a-z0-9_]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SectionPathConverter, "section_path")


def feed_view(feed, lists):
    """A feed readers share through the page cache."""
    return cache_page_with_dependencies(require_safe(feed), lists=lists)


app_name = "articles"

# Fixed prefixes come before the section catch-all: the slugs "autor",
# "thema", "vorschau", "suche" and "feed" are reserved, and "statistik"
# for readership, included before these (RESERVED_SECTION_SLUGS).
urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front_page"),
    path(
        "vorschau/artikel/<int:pk>/",
        views.ArticlePreviewView.as_view(),
        name="article_preview",
    ),
    path(
        "vorschau/<str:token>/",
        views.SharedPreviewView.as_view(),
        name="shared_preview",
    ),
    path("autor/<slug:slug>/", views.AuthorDetailView.as_view(), name="author_detail"),
    path("thema/<slug:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("suche/", views.SearchView.as_view(), name="search"),
    path(
        "feed/rss/",
        feed_view(feeds.LatestArticlesFeed(), cache_keys.all_articles),
        name="feed",
    ),
    path(
        "feed/atom/",
        feed_view(feeds.LatestArticlesAtomFeed(), cache_keys.all_articles),
        name="feed_atom",
    ),
    # "thema" can't be a top-level section, so these can't hide one.
    path(
        "feed/rss/thema/<slug:slug>/",
        feed_view(feeds.TagFeed(), cache_keys.tag_page),
        name="tag_feed",
    ),
    path(
        "feed/atom/thema/<slug:slug>/",
        feed_view(feeds.TagAtomFeed(), cache_keys.tag_page),
        name="tag_feed_atom",
    ),
    path(
        "feed/rss/<section_path:section_path>/",
        feed_view(feeds.SectionFeed(), cache_keys.section_page),
        name="section_feed",
    ),
    path(
        "feed/atom/<section_path:section_path>/",
        feed_view(feeds.SectionAtomFeed(), cache_keys.section_page),
        name="section_feed_atom",
    ),
    # An article's path is its section's path plus its slug, so a path of two
    # or more segments is tried as an article first, then as a section.
    path(
        "<section_path:section_path>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
    path(
        "<section_path:section_path>/",
        views.SectionDetailView.as_view(),
        name="section_detail",
    ),
]
