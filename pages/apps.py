from django.apps import AppConfig


class PagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = "Impressum und Serviceseiten"

    def ready(self):
        from . import cache_keys

        cache_keys.register()
