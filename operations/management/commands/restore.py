from django.core.management.base import BaseCommand, CommandError

from operations.services import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = (
        "Spielt ein Archiv von `backup` in eine leere, migrierte Installation "
        "zurück (Datenbank und Medien)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch eine Datenbank mit Inhalt ersetzen (Medien werden überschrieben).",
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = restore_backup(archive, force=force)
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{archive} vom {manifest['created_at']} zurückgespielt: "
            f"{sum(manifest['counts'].values())} Zeilen und die Medien."
        )
