from django.apps import AppConfig


class AdsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ads"
    verbose_name = "Werbung"

    def ready(self):
        from pagecache import finishers

        from .middleware import PLACEHOLDER_START, fill_slots

        finishers.register(PLACEHOLDER_START, fill_slots)
