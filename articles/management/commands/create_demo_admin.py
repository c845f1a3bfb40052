import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "redaktion"


class Command(BaseCommand):
    help = (
        "Legt den Demo-Administrator „redaktion“ mit einem zufälligen Passwort an "
        "und zeigt es an. Mit --reset-password bekommt er ein neues."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args, reset_password=False, **options):
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": ""},
        )
        if not (created or reset_password):
            self.stdout.write(
                f"Demo-Administrator „{USERNAME}“ besteht schon. Neues Passwort: "
                "make admin-password"
            )
            return
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Anmeldung unter /admin/ – Benutzer: {USERNAME}  Passwort: {password}"
            )
        )
