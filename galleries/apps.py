from django.apps import AppConfig


class GalleriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "galleries"
    verbose_name = "Bilderstrecken"

    def ready(self):
        from articles.models import add_publication_check
        from articles.sitemaps import add_sitemap
        from articles.versions import include_in_article_versions

        from . import cache_keys
        from .models import GalleryPicture
        from .sitemaps import GalleryPictureSitemap

        include_in_article_versions(GalleryPicture, "gallery_pictures")
        add_publication_check(GalleryPicture.objects.publication_problems)
        add_sitemap("bilder", GalleryPictureSitemap)
        cache_keys.register()
