from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import feeds, views


class SectionPathConverter:
    """One or more slugs joined by slashes: news/politik."""

    regex = r"[-a-z0-9_]+(?:/[-a-z0-9_]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SectionPathConverter, "section_path")

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
    path("feed/rss/", require_safe(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", require_safe(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    # "thema" can't be a top-level section, so these can't hide one.
    path("feed/rss/thema/<slug:slug>/", require_safe(feeds.TagFeed()), name="tag_feed"),
    path(
        "feed/atom/thema/<slug:slug>/",
        require_safe(feeds.TagAtomFeed()),
        name="tag_feed_atom",
    ),
    path(
        "feed/rss/<section_path:section_path>/",
        require_safe(feeds.SectionFeed()),
        name="section_feed",
    ),
    path(
        "feed/atom/<section_path:section_path>/",
        require_safe(feeds.SectionAtomFeed()),
        name="section_feed_atom",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
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
