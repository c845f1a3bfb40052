"""Backup and restore: the database and the media files in one archive.

The archive is a tar.gz holding `database.json` (Django's dumpdata, so it
loads into SQLite and PostgreSQL alike), the uploaded files under `media/`
and `manifest.json` with the number of rows per model, which a restore
checks before it commits. Media are read and written through the media
storage, so an archive moves between a disk and an S3 bucket either way.
"""

import json
import posixpath
import tarfile
import tempfile
from io import BytesIO, StringIO
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ads.delivery import forget_snapshot
from ads.models import Campaign
from articles.models import Article, Section
from pagecache.dependencies import retire_every_page
from pagecache.models import ContentVersion

ARCHIVE_FORMAT = 1
# Made afresh by `migrate` in every installation, with ids of their own;
# the dump refers to them by natural key. Sessions are not worth keeping,
# nor the page cache's bookkeeping (the restore retires every page), nor
# the signs of life of this installation's workers (queued jobs are kept).
NOT_DUMPED = ["contenttypes", "auth.permission", "sessions", "pagecache", "jobs.worker"]
MEDIA_PREFIX = "media/"
# JSON that keeps the microseconds Django's own JSON drops; Django's JSON
# deserializer reads it.
EXACT_JSON = "exact-json"
serializers.register_serializer(EXACT_JSON, "operations.serializers")


class RestoreRefused(Exception):
    pass


def dumped_models():
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.app_label not in NOT_DUMPED
        and model._meta.label_lower not in NOT_DUMPED
    ]


def row_counts():
    return {
        model._meta.label: model._default_manager.count() for model in dumped_models()
    }


def write_backup(path):
    """Write the archive to `path`; returns the manifest."""
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "database.json"
        # One snapshot for every table: rows saved meanwhile are either
        # wholly in the dump or wholly out of it.
        # (Inside a caller's transaction, as in tests, that one decides.)
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                    )
            manifest = {
                "format": ARCHIVE_FORMAT,
                "created_at": timezone.now().isoformat(),
                "counts": row_counts(),
            }
            call_command(
                "dumpdata",
                format=EXACT_JSON,
                exclude=NOT_DUMPED,
                natural_foreign=True,
                output=str(dump),
                verbosity=0,
            )
        with tarfile.open(path, "w:gz") as archive:
            archive.add(dump, arcname="database.json")
            for name in sorted(media_names()):
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = default_storage.size(name)
                with default_storage.open(name) as file:
                    archive.addfile(info, file)
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, BytesIO(data))
    return manifest


def has_content():
    """Whether people have put anything into this installation yet."""
    return any(
        model.objects.exists()
        for model in (get_user_model(), Section, Article, Campaign)
    )


def media_names(folder=""):
    """Every file in the media storage, folder by folder."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        yield posixpath.join(folder, file)
    for child in folders:
        yield from media_names(posixpath.join(folder, child))


def has_media():
    return next(media_names(), None) is not None


def restore_backup(path, force=False):
    """Replace the database and add the media files from the archive at `path`."""
    if not force and (has_content() or has_media()):
        raise RestoreRefused(
            "Die Datenbank oder der Medienordner enthält schon Daten. "
            "Mit --force werden sie ersetzt."
        )
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as folder:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise RestoreRefused("Unbekanntes Archivformat.")
        dump = Path(folder) / "database.json"
        dump.write_bytes(archive.extractfile("database.json").read())
        version_before = ContentVersion.objects.current()
        with transaction.atomic():
            # Empties every table, then recreates content types and
            # permissions, to which the dump refers by natural key.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(dump), verbosity=0, stdout=StringIO())
            counts = row_counts()
            wrong = {
                label: (expected, counts.get(label))
                for label, expected in manifest["counts"].items()
                if counts.get(label) != expected
            }
            if wrong:
                raise RestoreRefused(f"Zeilenzahlen weichen ab: {wrong}")
            # No page cached before the restore may be served after it.
            retire_every_page(version_before)
        ContentType.objects.clear_cache()
        forget_snapshot()
        extract_media(archive)
    return manifest


def extract_media(archive):
    for member in archive.getmembers():
        if not (member.isfile() and member.name.startswith(MEDIA_PREFIX)):
            # Links and devices are never restored.
            continue
        name = member.name.removeprefix(MEDIA_PREFIX)
        try:
            # Refuses absolute paths and "..".
            validate_file_name(name, allow_relative_path=True)
        except SuspiciousFileOperation:
            raise RestoreRefused(f"Unzulässiger Dateiname im Archiv: {name}") from None
        # Under its own name, which rows and pages refer to: an older file
        # of that name gives way.
        default_storage.delete(name)
        stored = default_storage.save(name, archive.extractfile(member))
        if stored != name:
            raise RestoreRefused(f"Die Datei {name} wurde als {stored} gespeichert.")
