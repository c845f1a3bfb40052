"""Bringing agency items in: from files in a watched folder and from an
agency's pull address.

A file is one delivery: it is taken in whole or not at all, and moved to
"done" or "failed" (with a note saying why) so a second run never reads it
again. A file a crashed run left in "processing" is read again once it is
clearly abandoned, up to MAX_ABANDONED_RUNS runs. From a pull, each item stands on its own.
"""

import hashlib
import json
import logging
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AgencyItem
from .ninjs import NinjsError, parse

PULL_TIMEOUT_SECONDS = 20
# Answers larger than this are refused rather than read into memory.
MAX_ANSWER_BYTES = 20 * 1024 * 1024
# A file in processing/ untouched for this long was left by a run that died:
# a live run takes seconds over one file.
ABANDONED_AFTER_SECONDS = 10 * 60
# A file that every run dies on (too big, a parser crash) would otherwise be
# read again every ten minutes for ever: after this many, it waits for a person.
MAX_ABANDONED_RUNS = 3

logger = logging.getLogger(__name__)


@dataclass
class Report:
    """What one run did, for the command's output and the tests."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def lines(self):
        yield (
            f"{len(self.created)} neu, {len(self.updated)} aktualisiert, "
            f"{len(self.unchanged)} unverändert, {len(self.failed)} fehlerhaft"
        )
        for source, message in self.failed:
            yield f"Fehler in {source}: {message}"
        for source, message in self.warnings:
            yield f"Hinweis zu {source}: {message}"


def items_in(raw):
    """The ninjs items in a delivery: one object, a list of them, or an
    object listing them under "items" or "entries"."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NinjsError(f"Kein gültiges JSON ({error}).") from None
    if isinstance(data, dict):
        data = data.get("items", data.get("entries", data))
    return data if isinstance(data, list) else [data]


def receive(agency, parsed, source, report):
    """Store `parsed` as a new item, or as a newer version of one we have;
    an older or equal version changes nothing."""
    item = _locked(agency, parsed.guid)
    if item is None:
        try:
            with transaction.atomic():
                item = AgencyItem(agency=agency, guid=parsed.guid)
                item.receive(parsed, source)
        except IntegrityError:
            # Another run stored the item a moment ago: compare with it.
            item = _locked(agency, parsed.guid)
        else:
            report.created.append(item)
            _warn_about_unknown_fields(parsed, source, report)
            return
    if item.version >= parsed.version:
        report.unchanged.append(item)
        return
    item.receive(parsed, source)
    report.updated.append(item)
    _warn_about_unknown_fields(parsed, source, report)


def _locked(agency, guid):
    return (
        AgencyItem.objects.select_for_update().filter(agency=agency, guid=guid).first()
    )


def _warn_about_unknown_fields(parsed, source, report):
    if parsed.unknown_fields:
        names = ", ".join(parsed.unknown_fields)
        report.warnings.append((source, f"Unbekannte Felder übergangen: {names}"))


def ingest(agency, raw, source, report):
    """Take in every item of one delivery, or none if any is unreadable."""
    try:
        parsed = [parse(data) for data in items_in(raw)]
    except NinjsError as error:
        report.failed.append((source, str(error)))
        return False
    with transaction.atomic():
        for item in parsed:
            receive(agency, item, source, report)
    return True


def ingest_folder(agency, report):
    """Take in the *.json files waiting in the agency's folder."""
    folder = Path(agency.folder)
    if not folder.is_dir():
        report.failed.append((agency.folder, "Der Eingangsordner fehlt."))
        return
    working = folder / "processing"
    for subfolder in ("processing", "done", "failed"):
        (folder / subfolder).mkdir(exist_ok=True)
    _requeue_abandoned(agency, working, report)
    for path in sorted(folder.glob("*.json")):
        claimed = working / path.name
        try:
            # The time of the claim, not of the delivery, tells a file in
            # processing/ from an abandoned one; a rename keeps it.
            os.utime(path)
            # A rename is atomic: of two runs at once, one gets the file.
            os.rename(path, claimed)
        except FileNotFoundError:
            continue
        before = len(report.failed)
        raw = claimed.read_bytes()
        ok = ingest(agency, raw, path.name, report)
        target = _free_name(folder / ("done" if ok else "failed"), path.name)
        os.rename(claimed, target)
        _abandoned_runs(working, raw).unlink(missing_ok=True)
        if not ok:
            note = "\n".join(message for _, message in report.failed[before:])
            target.with_name(target.name + ".fehler.txt").write_text(note + "\n")


def _abandoned_runs(working, raw):
    """The file counting the runs that died on a delivery with this content
    (the name may change on its way back: see _free_name)."""
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return working / f".{digest}.abgebrochen"


def _requeue_abandoned(agency, working, report):
    """Put the files a crashed run left in processing/ back into the folder,
    to be taken in like new ones: a version we have changes nothing. One
    that runs have died on MAX_ABANDONED_RUNS times goes to failed/."""
    now = time.time()
    for path in sorted(working.glob("*.json")):
        try:
            age = now - path.stat().st_mtime
            if age < ABANDONED_AFTER_SECONDS:
                continue
            counter = _abandoned_runs(working, path.read_bytes())
            runs = int(counter.read_text()) + 1 if counter.exists() else 1
            given_up = runs >= MAX_ABANDONED_RUNS
            target = _free_name(
                working.parent / "failed" if given_up else working.parent, path.name
            )
            # Atomic too: of two runs finding it, one moves it.
            os.rename(path, target)
        except FileNotFoundError:
            # Another run has finished it or put it back.
            continue
        if given_up:
            counter.unlink(missing_ok=True)
            _give_up(agency, path.name, target, runs, report)
            continue
        counter.write_text(str(runs))
        logger.warning(
            "Agentur %s: %s lag seit %d Minuten unfertig in processing/ "
            "(ein Lauf brach ab) und wird erneut eingelesen.",
            agency.credit,
            path.name,
            age // 60,
        )


def _give_up(agency, name, failed, runs, report):
    message = (
        f"{runs} Läufe brachen beim Einlesen dieser Datei ab; sie wird nicht mehr "
        "automatisch eingelesen. Bitte die Datei prüfen und, wenn sie in Ordnung "
        "ist, wieder in den Eingangsordner legen."
    )
    failed.with_name(failed.name + ".fehler.txt").write_text(message + "\n")
    report.failed.append((name, message))
    logger.error("Agentur %s: %s: %s", agency.credit, name, message)


def _free_name(folder, name):
    """`name` in `folder`, with a number added if a file has it already
    (an agency may send the same file name twice)."""
    target = folder / name
    number = 1
    while target.exists():
        target = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    return target


def fetch(url, token):
    """The answer of the agency's pull address (bytes)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=PULL_TIMEOUT_SECONDS) as answer:
        return answer.read(MAX_ANSWER_BYTES + 1)


def pull(agency, report, fetch=fetch):
    """Take in what the agency's pull address offers now, item by item."""
    source = f"Abruf {agency.credit}"
    try:
        raw = fetch(agency.pull_url, agency.token)
    except (urllib.error.URLError, OSError, ValueError) as error:
        report.failed.append((source, f"Abruf fehlgeschlagen: {error}"))
        return
    if len(raw) > MAX_ANSWER_BYTES:
        report.failed.append((source, "Die Antwort ist zu groß."))
        return
    try:
        deliveries = items_in(raw)
    except NinjsError as error:
        report.failed.append((source, str(error)))
        return
    for data in deliveries:
        try:
            parsed = parse(data)
        except NinjsError as error:
            report.failed.append((source, str(error)))
            continue
        with transaction.atomic():
            receive(agency, parsed, source, report)
    agency.last_pulled_at = timezone.now()
    agency.save(update_fields=["last_pulled_at"])


def ingest_all(agencies):
    """One run over the agencies' folders and pull addresses."""
    report = Report()
    for agency in agencies:
        if agency.folder:
            ingest_folder(agency, report)
        if agency.pull_url:
            pull(agency, report)
    return report
