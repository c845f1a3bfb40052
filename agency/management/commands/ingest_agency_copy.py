"""Take in new agency copy: the files in each agency's folder and what its
pull address offers.

Safe to run again and again, also twice at once: a file is claimed by
moving it, and a version we have already is left alone. Run it from cron
(see the README) or let it repeat with --every.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from agency.ingest import ingest_all
from agency.models import Agency


class Command(BaseCommand):
    help = "Agenturmeldungen aus Eingangsordnern und Abruf-Adressen übernehmen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency", help="Nur diese Agentur (ihre Quellenangabe, z. B. dpa)."
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="SEKUNDEN",
            help="Immer wieder laufen, mit dieser Pause dazwischen.",
        )

    def handle(self, *args, agency=None, every=None, **options):
        agencies = Agency.objects.filter(is_active=True)
        if agency:
            agencies = agencies.filter(credit=agency)
            if not agencies.exists():
                raise CommandError(f"Keine aktive Agentur „{agency}“.")
        while True:
            report = ingest_all(agencies)
            for line in report.lines():
                self.stdout.write(line)
            if not every:
                return
            time.sleep(every)
