from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "embeds"
    verbose_name = "Einbettungen"

    def ready(self):
        from . import signals

        signals.register()
