from django.apps import AppConfig


class FrontsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fronts"
    verbose_name = "Startseite und Ressortseiten"

    def ready(self):
        from articles.views import show_curated_pages

        from . import cache_keys
        from .views import curated_page

        cache_keys.register()
        show_curated_pages(curated_page)
