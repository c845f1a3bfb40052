from django.apps import apps
from django.core.management.base import BaseCommand

from images.models import CleanUploads


class Command(BaseCommand):
    help = (
        "Schreibt die fehlenden Bildgrößen und Kopien aller gespeicherten Bilder, "
        "z. B. nach einer Änderung der angebotenen Breiten. Vorhandene Dateien "
        "bleiben."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            if not issubclass(model, CleanUploads):
                continue
            count = 0
            for picture in model._default_manager.iterator():
                picture.create_copies()
                count += 1
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count} geprüft")
