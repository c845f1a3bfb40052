import os
import subprocess
import sys

from django.conf import settings
from django.db import transaction
from django.test import SimpleTestCase, TransactionTestCase

from articles.models import Article
from newsroom.routers import ReplicaRouter


class ReplicaRouterTests(TransactionTestCase):
    router = ReplicaRouter()

    def test_reads_outside_a_transaction_go_to_the_replica(self):
        self.assertEqual(self.router.db_for_read(Article), "replica")

    def test_reads_inside_a_transaction_stay_on_the_primary(self):
        with transaction.atomic():
            self.assertEqual(self.router.db_for_read(Article), "default")

    def test_writes_go_to_the_primary(self):
        self.assertEqual(self.router.db_for_write(Article), "default")

    def test_only_the_primary_is_migrated(self):
        self.assertIs(self.router.allow_migrate("default", "articles"), True)
        self.assertIs(self.router.allow_migrate("replica", "articles"), False)


class ReplicaSettingTests(SimpleTestCase):
    def settings_with(self, **env):
        code = (
            "import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps([settings.DATABASE_ROUTERS, "
            "settings.DATABASES.get('replica', {}).get('HOST')]))"
        )
        environment = {
            key: value
            for key, value in os.environ.items()
            if key != "DATABASE_REPLICA_URL"
        }
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**environment, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def test_the_router_is_off_without_a_replica(self):
        self.assertEqual(self.settings_with(), "[[], null]")

    def test_a_replica_url_turns_the_router_on(self):
        self.assertEqual(
            self.settings_with(
                DATABASE_REPLICA_URL="postgres://leser@replica.intern:5432/newsroom"
            ),
            '[["newsroom.routers.ReplicaRouter"], "replica.intern"]',
        )
