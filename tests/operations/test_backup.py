"""`backup` and `restore` carry the whole demo site into an empty installation."""

import hashlib
import shutil
import tempfile
from io import StringIO
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import ForeignKey
from django.test import TransactionTestCase, override_settings

from ads.models import AdEvent, CountReason, EventCount
from articles.models import Article, Section
from operations.services import dumped_models
from tests.factories import make_article


def natural(obj):
    """Content types and permissions get new ids in every installation."""
    if isinstance(obj, (ContentType, Permission)):
        return obj.natural_key()
    return obj.pk


def model_rows(model):
    """Every row of `model` with all its fields and many-to-many links."""
    rows = []
    for obj in model._default_manager.order_by("pk"):
        row = {}
        for field in model._meta.concrete_fields:
            if isinstance(field, ForeignKey) and field.related_model in (
                ContentType,
                Permission,
            ):
                row[field.name] = natural(getattr(obj, field.name))
            else:
                row[field.attname] = field.value_to_string(obj)
        for field in model._meta.many_to_many:
            row[field.name] = sorted(
                natural(related) for related in getattr(obj, field.name).all()
            )
        rows.append(row)
    return rows


def site_state():
    """{model label: rows} for everything backed up, and {path: hash} of media."""
    state = {model._meta.label: model_rows(model) for model in dumped_models()}
    media = Path(settings.MEDIA_ROOT)
    state["media"] = {
        file.relative_to(media).as_posix(): hashlib.sha256(
            file.read_bytes()
        ).hexdigest()
        for file in media.rglob("*")
        if file.is_file()
    }
    return state


class BackupTestCase(TransactionTestCase):
    # Restoring replaces the whole database in a transaction of its own, as
    # in production; the rows migrations made come back for later tests.
    serialized_rollback = True

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-backup-"))
        self.addCleanup(shutil.rmtree, self.folder)
        self.addCleanup(ContentType.objects.clear_cache)
        self.archive = self.folder / "backup.tar.gz"


class BackupRoundTripTests(BackupTestCase):
    def make_the_demo_site(self):
        for command in ("load_demo_content", "load_demo_ads", "create_demo_admin"):
            call_command(command, stdout=StringIO())
        # Counters and history, which only a running site makes.
        EventCount.objects.add(AdEvent.SERVED, CountReason.COUNTED)
        article = Article.objects.first()
        with reversion.create_revision():
            reversion.set_user(get_user_model().objects.get(username="cvd"))
            reversion.set_comment("Vorspann gekürzt")
            article.lead = article.lead[:80]
            article.save()

    def test_the_demo_site_comes_back_whole_in_an_empty_installation(self):
        self.make_the_demo_site()
        before = site_state()
        call_command("backup", self.archive, stdout=StringIO())
        # What `migrate` leaves: tables, content types, permissions.
        call_command("flush", interactive=False, verbosity=0)

        with override_settings(MEDIA_ROOT=self.folder / "media"):
            call_command("restore", self.archive, stdout=StringIO())
            after = site_state()

        self.assertEqual(after.keys(), before.keys())
        for label in before:
            with self.subTest(label):
                self.assertEqual(after[label], before[label])
        self.assertGreater(len(before["media"]), 100)
        self.assertGreater(len(before["articles.Article"]), 20)
        self.assertGreater(len(before["reversion.Version"]), 0)

    def test_no_page_cached_before_a_restore_is_served_after_it(self):
        article = make_article(headline="Vor der Sicherung")
        call_command("backup", self.archive, stdout=StringIO())
        Article.objects.filter(pk=article.pk).update(headline="Nach der Sicherung")
        # Many changes later than the backup, the page is cached.
        for _ in range(3):
            Section.objects.first().save()
        url = article.get_absolute_url()
        self.assertContains(self.client.get(url), "Nach der Sicherung")

        call_command("restore", self.archive, force=True, stdout=StringIO())

        self.assertContains(self.client.get(url), "Vor der Sicherung")

    def test_an_installation_with_content_is_not_overwritten(self):
        make_article()
        call_command("backup", self.archive, stdout=StringIO())

        with self.assertRaisesMessage(CommandError, "--force"):
            call_command("restore", self.archive, stdout=StringIO())
