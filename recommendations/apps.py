from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = "Empfehlungen"

    def ready(self):
        from articles.cache_keys import article_part_keys
        from articles.versions import include_in_article_versions
        from pagecache import dependencies

        from . import signals  # noqa: F401
        from .models import RelatedPin

        include_in_article_versions(RelatedPin, "related_pins")
        dependencies.touch_on_change(RelatedPin, article_part_keys)
