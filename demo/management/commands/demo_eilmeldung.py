"""Start or end the demo's Eilmeldung, as the desk would in the admin."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from reversion import create_revision, set_comment

from articles.models import Article
from live.models import Eilmeldung

TEXT = "Deich in Auenbrück gebrochen – Unterstadt wird geräumt"


class Command(BaseCommand):
    help = (
        "Startet (--start, wahlweise mit --minuten bis zum Ende) oder beendet "
        "(--end) die Demo-Eilmeldung."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--start", action="store_true")
        action.add_argument("--end", action="store_true")
        parser.add_argument(
            "--minuten",
            type=int,
            help="Endet von selbst nach so vielen Minuten.",
        )

    def handle(self, *args, start=False, end=False, minuten=None, **options):
        running = Eilmeldung.objects.running()
        if end:
            ended = 0
            for eilmeldung in running:
                with create_revision():
                    set_comment("Eilmeldung beendet")
                    eilmeldung.end(user=None)
                ended += 1
            self.stdout.write(f"Beendet: {ended} Eilmeldung(en).")
            return
        if minuten is not None and minuten < 1:
            raise CommandError("--minuten muss mindestens 1 sein.")
        ticker_article = Article.objects.published().filter(ticker__isnull=False)
        with create_revision():
            set_comment("Eilmeldung gestartet")
            eilmeldung = Eilmeldung.objects.create(
                text=TEXT,
                article=ticker_article.order_by("-published_at").first(),
                ends_at=timezone.now() + timedelta(minutes=minuten)
                if minuten
                else None,
            )
        self.stdout.write(
            f"Eilmeldung gestartet: „{eilmeldung.headline}“"
            + (
                f", endet um {timezone.localtime(eilmeldung.ends_at):%H:%M} Uhr."
                if minuten
                else "."
            )
        )
