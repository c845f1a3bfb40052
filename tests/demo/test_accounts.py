import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import TestCase


class DemoAccountTests(TestCase):
    def test_the_printed_demo_passwords_pass_the_password_rules(self):
        output = StringIO()

        call_command("create_demo_admin", stdout=output)

        printed = re.findall(r"Benutzer (\S+)  Passwort (\S+)", output.getvalue())
        self.assertEqual(len(printed), 4)
        for username, password in printed:
            with self.subTest(username=username):
                user = get_user_model().objects.get(username=username)
                self.assertIs(user.check_password(password), True)
                validate_password(password, user)

    def test_the_demo_journalist_is_offered_an_unsaved_story(self):
        call_command("create_demo_admin", stdout=StringIO())
        journalist = get_user_model().objects.get(username="redakteurin")
        self.client.force_login(journalist)

        response = self.client.get("/admin/articles/article/add/?entwurf=1")

        self.assertContains(
            response, 'value="Neue Buslinie soll Altstadt und Hafen verbinden"'
        )
