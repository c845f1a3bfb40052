import signal
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.objectstore import ObjectStore


class Command(BaseCommand):
    help = (
        "Startet einen S3-Speicher (SeaweedFS) auf diesem Rechner mit einem "
        "Bucket für die Medien und nennt die Variablen, die die Website "
        "darauf richten. Läuft bis Strg+C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder",
            default=str(settings.BASE_DIR / ".cache" / "objectstore"),
            help="Ordner für Daten und Schlüssel (bleiben zwischen zwei Starts)",
        )
        parser.add_argument("--bucket", default="newsroom-media")

    def handle(self, *args, folder, bucket, **options):
        # Stopped by a signal too, the store stops with it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with ObjectStore(folder, bucket) as store:
            self.stdout.write(
                f"S3-Speicher unter {store.endpoint_url}, Bucket {bucket}. "
                "Für die Website (in einer zweiten Shell):"
            )
            for name, value in store.environ().items():
                self.stdout.write(f"export {name}={value}")
            self.stdout.flush()
            try:
                while store.process.poll() is None:
                    time.sleep(1)
            except KeyboardInterrupt:
                self.stdout.write("Beendet.")
