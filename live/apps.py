from django.apps import AppConfig


class LiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = "Live: Eilmeldung und Liveticker"

    def ready(self):
        from . import cache_keys

        cache_keys.register()
