"""Delete the single-use records of expired tokens (run it daily)."""

from django.core.management.base import BaseCommand

from counting.tokens import SPENT_TOKENS_KEPT, forget_spent_tokens


class Command(BaseCommand):
    help = "Löscht verbrauchte Tokens (Aufrufe, Anzeigen), die abgelaufen sind."

    def handle(self, *args, **options):
        deleted = forget_spent_tokens()
        hours = int(SPENT_TOKENS_KEPT.total_seconds() // 3600)
        self.stdout.write(
            f"{deleted} verbrauchte Tokens gelöscht (älter als {hours} h)."
        )
