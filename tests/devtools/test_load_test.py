"""A short run of `load_test`: readers, an editor and an ad manager at once."""

import os
import shutil
import sys
import unittest
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase

from tests.factories import make_article, make_creative, make_section, make_slot


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "gunicorn and the test need one database server (DATABASE_URL=postgres://…)",
)
@unittest.skipUnless(
    shutil.which("gunicorn", path=os.path.dirname(sys.executable)), "gunicorn"
)
class LoadTestTests(TransactionTestCase):
    # The roles from the data migrations are needed for the ad manager.
    serialized_rollback = True

    def test_a_short_run_has_no_errors_and_counts_everything(self):
        section = make_section(name="Hafen", slug="hafen")
        for number in range(6):
            make_article(section=section, headline=f"Fähre Nummer {number} legt an")
        make_creative(slot=make_slot(key="header"))
        output = StringIO()

        call_command(
            "load_test",
            seconds=5,
            readers=10,
            editors=1,
            ad_managers=1,
            pause=0.5,
            workers=2,
            port=8143,
            demo=False,
            stdout=output,
        )

        self.assertIn("jede Zählung angekommen", output.getvalue())
