from django.core.management.base import BaseCommand
from django.utils import timezone

from operations.services import write_backup


class Command(BaseCommand):
    help = (
        "Sichert Datenbank und Medien in ein Archiv (tar.gz), "
        "das `restore` in eine leere Installation zurückspielt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="Zieldatei (Vorgabe: newsroom-backup-<Zeitpunkt>.tar.gz)",
        )

    def handle(self, *args, archive=None, **options):
        archive = archive or timezone.now().strftime(
            "newsroom-backup-%Y%m%d-%H%M%S.tar.gz"
        )
        manifest = write_backup(archive)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"{archive}: {rows} Zeilen und die Medien gesichert.")
