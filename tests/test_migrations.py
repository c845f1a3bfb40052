from io import StringIO

from django.core.management import call_command
from django.test import TestCase


class MigrationsTests(TestCase):
    def test_models_and_migrations_agree(self):
        output = StringIO()

        call_command("makemigrations", "--check", "--dry-run", stdout=output)

        self.assertIn("No changes detected", output.getvalue())
