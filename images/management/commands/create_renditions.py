from django.apps import apps
from django.core.management.base import BaseCommand

from images.models import PictureWithRenditions


class Command(BaseCommand):
    help = (
        "Schreibt die fehlenden Bildgrößen aller gespeicherten Bilder, z. B. nach "
        "einer Änderung der angebotenen Breiten. Vorhandene Dateien bleiben."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            if not issubclass(model, PictureWithRenditions):
                continue
            pictures = model._default_manager.exclude(**{model.picture_field: ""})
            count = 0
            for picture in pictures.iterator():
                picture.create_renditions()
                count += 1
            self.stdout.write(f"{model._meta.verbose_name_plural} mit Bild: {count}")
