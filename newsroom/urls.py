from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from articles.cache_keys import all_articles, sitemap_index
from articles.sitemaps import SITEMAPS
from articles.views import media_file, news_sitemap
from galleries.views import upload_picture
from pagecache.decorators import cache_page_with_dependencies


@require_safe
def favicon(request):
    """Browsers and crawlers that read no <link rel="icon"> ask here; the
    icon itself is a static file with a hashed, long-cached name."""
    return redirect(static("img/favicon.ico"))


urlpatterns = [
    # Before the admin's own addresses, which would answer it with a 404.
    path(
        "admin/bilderstrecke/<int:pk>/bild/",
        upload_picture,
        name="gallery_upload_picture",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    # The whole site's file: it names pages of several apps.
    path(
        "robots.txt",
        require_safe(
            TemplateView.as_view(
                template_name="robots.txt", content_type="text/plain; charset=utf-8"
            )
        ),
        name="robots_txt",
    ),
    path("anzeigen/", include("ads.urls")),
    path(
        "sitemap.xml",
        cache_page_with_dependencies(
            require_safe(sitemap_views.index), lists=sitemap_index
        ),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    # Before the sitemap sections, which would take "news" for one of theirs.
    path("sitemap-news.xml", news_sitemap, name="news_sitemap"),
    path(
        "sitemap-<section>.xml",
        cache_page_with_dependencies(
            require_safe(sitemap_views.sitemap), parameters=["p"], lists=all_articles
        ),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", media_file, name="media"))

urlpatterns += [
    # Before the articles' section catch-all, which would take "statistik"
    # "liveticker" and "info".
    path("statistik/", include("readership.urls")),
    path("liveticker/", include("live.urls")),
    path("info/", include("pages.urls")),
    # Before the articles' previews under the same reserved slug.
    path("vorschau/seite/", include("fronts.urls")),
    path("", include("galleries.urls")),
    path("", include("articles.urls")),
]

# The German 503 page while the database is down, else the 500 page.
handler500 = "operations.views.server_error"
