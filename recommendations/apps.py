from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = "Empfehlungen"

    def ready(self):
        from articles.versions import include_in_article_versions

        from . import signals  # noqa: F401
        from .models import RelatedPin

        include_in_article_versions(RelatedPin, "related_pins")
