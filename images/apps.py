from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_delete


def remove_deleted_pictures(sender, instance, **kwargs):
    from .models import CleanUploads

    if isinstance(instance, CleanUploads):
        instance.delete_pictures_after_commit(instance.stored_pictures())


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Bilder"

    def ready(self):
        from .renditions import forget_urls

        # A signal rather than delete(): rows deleted with a queryset or by
        # a cascade (a campaign's creatives) never call delete().
        post_delete.connect(remove_deleted_pictures, weak=False)
        # Media URLs are remembered per name; tests switch storages.
        setting_changed.connect(forget_urls, weak=False)
