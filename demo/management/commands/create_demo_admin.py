import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import AutosavedDraft

# What the demo journalist typed before her browser closed: "Artikel
# hinzufügen" offers it back (autosave).
UNSAVED_STORY = {
    "kicker": "Nahverkehr",
    "headline": "Neue Buslinie soll Altstadt und Hafen verbinden",
    "lead": "Ab dem Frühjahr könnte die Linie 14 im Zehn-Minuten-Takt fahren. "
    "Der Verkehrsausschuss berät am Donnerstag.",
    "body": "<p>Die Stadtwerke haben ihre Pläne am Montag vorgestellt.</p>"
    "<h2>Was sich für Pendler ändert</h2>"
    "<p>Wer bisher am Markt umsteigen musste, </p>",
}

# One account per role, so that the workflow can be tried out at once.
DEMO_ACCOUNTS = [
    ("redaktion", "Administrator", None),
    ("cvd", "Chef/in vom Dienst", "Chef/in vom Dienst"),
    ("redakteurin", "Redakteur/in", "Redakteur/in"),
    ("anzeigen", "Anzeigenverwaltung", "Anzeigenverwaltung"),
]


class Command(BaseCommand):
    help = (
        "Legt die Demo-Zugänge an (Administrator, Chef/in vom Dienst, Redakteur/in, "
        "Anzeigenverwaltung) "
        "und zeigt ihre zufälligen Passwörter. Mit --reset-password bekommen sie neue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args, reset_password=False, **options):
        for username, role, group in DEMO_ACCOUNTS:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_superuser": group is None},
            )
            if group:
                user.groups.add(Group.objects.get(name=group))
            if group == "Redakteur/in":
                AutosavedDraft.objects.get_or_create(
                    user=user,
                    article=None,
                    defaults={"data": UNSAVED_STORY, "saved_at": timezone.now()},
                )
            if not (created or reset_password):
                self.stdout.write(
                    f"{role}: „{username}“ besteht schon (neues Passwort: "
                    "make admin-password)."
                )
                continue
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{role}: Benutzer {username}  Passwort {password}  (/admin/)"
                )
            )
