from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "readership"
    verbose_name = "Leserschaft"

    def ready(self):
        from pagecache import finishers

        from .tokens import VIEW_TOKEN_PLACEHOLDER, fill_view_tokens

        finishers.register(VIEW_TOKEN_PLACEHOLDER.encode(), fill_view_tokens)
