import os
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.test import TestCase

from agency.ingest import MAX_ABANDONED_RUNS, Report, ingest_folder, pull
from agency.ingest import _locked as real_locked
from agency.ingest import ingest as real_ingest
from agency.models import AgencyItem, ItemVersion, PubStatus
from tests.agency.factories import SAMPLES, make_agency, receive_sample

HAUSHALT = "urn:newsml:newsroom.test:20261203:haushalt-auenland"


class VersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.agency = make_agency()

    def test_a_new_item_lands_with_its_first_version(self):
        report = receive_sample(self.agency, "haushalt_v1.json")

        item = AgencyItem.objects.get()
        self.assertEqual(report.created, [item])
        self.assertEqual((item.guid, item.version), (HAUSHALT, 1))
        self.assertEqual(item.source, "haushalt_v1.json")
        self.assertEqual(item.pubstatus, PubStatus.USABLE)
        self.assertQuerySetEqual(item.versions.values_list("version", flat=True), [1])

    def test_a_higher_version_updates_the_item_and_keeps_the_older_text(self):
        report = receive_sample(self.agency, "haushalt_v1.json", "haushalt_v2.json")

        item = AgencyItem.objects.get()
        self.assertEqual(report.updated, [item])
        self.assertEqual(item.version, 2)
        self.assertIn("250 Millionen", item.lead)
        self.assertIn("200 Millionen", item.previous_version().lead)

    def test_the_same_or_a_lower_version_changes_nothing(self):
        receive_sample(self.agency, "haushalt_v1.json", "haushalt_v2.json")

        report = receive_sample(self.agency, "haushalt_v2.json", "haushalt_v1.json")

        item = AgencyItem.objects.get()
        self.assertEqual(item.version, 2)
        self.assertEqual(len(report.unchanged), 2)
        self.assertEqual(ItemVersion.objects.count(), 2)

    def test_the_list_shows_what_changed_between_versions(self):
        receive_sample(self.agency, "haushalt_v1.json", "haushalt_v2.json")

        changes = dict(AgencyItem.objects.get().changes())

        self.assertEqual(list(changes), ["Vorspann", "Text"])
        self.assertIn(("-", "200"), changes["Vorspann"])
        self.assertIn(("+", "250"), changes["Vorspann"])
        self.assertIn(
            ("+", "Der Landtag berät den Entwurf im Januar."), changes["Text"]
        )

    def test_a_correction_is_a_version_with_the_agencys_note(self):
        receive_sample(
            self.agency,
            "haushalt_v1.json",
            "haushalt_v2.json",
            "haushalt_v3_korrektur.json",
        )

        item = AgencyItem.objects.get()
        self.assertEqual(item.version, 3)
        self.assertTrue(item.note.startswith("Korrektur:"))
        self.assertEqual(
            dict(item.changes())["Text"][1:3], [("-", "Lindner"), ("+", "Lindemann")]
        )

    def test_an_item_stored_by_another_run_meanwhile_is_updated_not_doubled(self):
        receive_sample(self.agency, "haushalt_v1.json")
        calls = []

        def found_only_after_the_race(agency, guid):
            calls.append(guid)
            return None if len(calls) == 1 else real_locked(agency, guid)

        with mock.patch("agency.ingest._locked", found_only_after_the_race):
            report = receive_sample(self.agency, "haushalt_v2.json")

        self.assertEqual(len(calls), 2)
        self.assertEqual(report.updated, [AgencyItem.objects.get()])
        self.assertEqual(AgencyItem.objects.get().version, 2)

    def test_the_same_guid_from_another_agency_is_another_item(self):
        other = make_agency(credit="epd", name="Evangelischer Pressedienst")

        receive_sample(self.agency, "haushalt_v1.json")
        receive_sample(other, "haushalt_v1.json")

        self.assertEqual(AgencyItem.objects.count(), 2)


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.agency = make_agency()

    def test_bad_json_is_reported_and_skipped(self):
        report = receive_sample(self.agency, "kaputt.json")

        self.assertFalse(AgencyItem.objects.exists())
        [(source, message)] = report.failed
        self.assertEqual(source, "kaputt.json")
        self.assertIn("Kein gültiges JSON", message)

    def test_a_picture_is_unknown_input_and_skipped(self):
        report = receive_sample(self.agency, "bild.json")

        self.assertFalse(AgencyItem.objects.exists())
        self.assertIn("nur Text", report.failed[0][1])

    def test_one_bad_item_keeps_its_whole_file_out(self):
        report = receive_sample(self.agency, "stapel_mit_fehler.json")

        self.assertFalse(AgencyItem.objects.exists())
        self.assertIn("Die Überschrift fehlt", report.failed[0][1])

    def test_unknown_fields_are_reported_and_the_item_taken_in(self):
        report = receive_sample(self.agency, "unbekannte_felder.json")

        self.assertEqual(
            AgencyItem.objects.get().headline, "Erster Frost im Auenland erwartet"
        )
        self.assertEqual(
            report.warnings,
            [
                (
                    "unbekannte_felder.json",
                    "Unbekannte Felder übergangen: wetterstation, x_redaktionsfarbe",
                )
            ],
        )


class WatchedFolderTests(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="agentur-"))
        self.addCleanup(shutil.rmtree, self.folder)
        self.agency = make_agency(folder=str(self.folder))
        for name in ("haushalt_v1.json", "haushalt_v2.json", "kaputt.json"):
            shutil.copy(SAMPLES / name, self.folder / name)

    def run_command(self):
        output = StringIO()
        call_command("ingest_agency_copy", stdout=output)
        return output.getvalue()

    def test_files_are_taken_in_and_moved_to_done_or_failed(self):
        output = self.run_command()

        self.assertEqual(AgencyItem.objects.get().version, 2)
        self.assertEqual(
            sorted(p.name for p in (self.folder / "done").iterdir()),
            ["haushalt_v1.json", "haushalt_v2.json"],
        )
        self.assertEqual(
            sorted(p.name for p in (self.folder / "failed").iterdir()),
            ["kaputt.json", "kaputt.json.fehler.txt"],
        )
        self.assertIn(
            "Kein gültiges JSON",
            (self.folder / "failed" / "kaputt.json.fehler.txt").read_text(),
        )
        self.assertFalse(list(self.folder.glob("*.json")))
        self.assertIn("1 neu, 1 aktualisiert, 0 unverändert, 1 fehlerhaft", output)
        self.assertIn("Fehler in kaputt.json: Kein gültiges JSON", output)

    def test_running_again_changes_nothing(self):
        self.run_command()

        output = self.run_command()

        self.assertIn("0 neu, 0 aktualisiert, 0 unverändert, 0 fehlerhaft", output)
        self.assertEqual(ItemVersion.objects.count(), 2)

    def test_a_file_sent_again_under_its_old_name_is_kept_beside_it(self):
        self.run_command()
        shutil.copy(SAMPLES / "haushalt_v1.json", self.folder / "haushalt_v1.json")

        output = self.run_command()

        self.assertIn("0 neu, 0 aktualisiert, 1 unverändert", output)
        self.assertTrue((self.folder / "done" / "haushalt_v1-1.json").exists())

    def test_a_missing_folder_is_reported(self):
        self.agency.folder = str(self.folder / "fehlt")
        report = Report()

        ingest_folder(self.agency, report)

        self.assertEqual(report.failed[0][1], "Der Eingangsordner fehlt.")


class AbandonedFileTests(TestCase):
    """A run that dies mid-file leaves it in processing/; a later run takes it
    in again once no live run can still be working on it."""

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="agentur-"))
        self.addCleanup(shutil.rmtree, self.folder)
        self.agency = make_agency(folder=str(self.folder))
        (self.folder / "processing").mkdir()

    def left_in_processing(self, name, minutes_ago):
        """Our sample `name` as a run claimed it `minutes_ago` and then died."""
        path = self.folder / "processing" / name
        shutil.copy(SAMPLES / name, path)
        claimed_at = time.time() - minutes_ago * 60
        os.utime(path, (claimed_at, claimed_at))

    def run_ingest(self):
        report = Report()
        ingest_folder(self.agency, report)
        return report

    def test_a_file_left_long_ago_is_taken_in_and_the_log_says_so(self):
        self.left_in_processing("unbekannte_felder.json", minutes_ago=11)

        with self.assertLogs("agency.ingest", "WARNING") as logs:
            report = self.run_ingest()

        self.assertEqual(
            [item.headline for item in report.created],
            ["Erster Frost im Auenland erwartet"],
        )
        self.assertTrue((self.folder / "done" / "unbekannte_felder.json").exists())
        self.assertFalse(list((self.folder / "processing").iterdir()))
        self.assertEqual(
            logs.records[0].getMessage(),
            "Agentur dpa: unbekannte_felder.json lag seit 11 Minuten unfertig in "
            "processing/ (ein Lauf brach ab) und wird erneut eingelesen.",
        )

    def test_a_file_a_run_may_still_be_working_on_is_left_alone(self):
        self.left_in_processing("unbekannte_felder.json", minutes_ago=2)

        with self.assertNoLogs("agency.ingest"):
            report = self.run_ingest()

        self.assertEqual(report.created, [])
        self.assertTrue(
            (self.folder / "processing" / "unbekannte_felder.json").exists()
        )

    def test_a_version_stored_before_the_crash_changes_nothing(self):
        receive_sample(self.agency, "haushalt_v1.json", "haushalt_v2.json")
        self.left_in_processing("haushalt_v2.json", minutes_ago=30)

        with self.assertLogs("agency.ingest", "WARNING"):
            report = self.run_ingest()

        self.assertEqual(len(report.unchanged), 1)
        self.assertEqual((report.created, report.updated), ([], []))
        self.assertEqual(ItemVersion.objects.count(), 2)
        self.assertTrue((self.folder / "done" / "haushalt_v2.json").exists())

    def test_a_file_every_run_dies_on_waits_in_failed_for_a_person(self):
        crashing = mock.patch("agency.ingest.ingest", side_effect=MemoryError)
        # Each crash leaves it in processing/, found again ten minutes later.
        for _ in range(MAX_ABANDONED_RUNS - 1):
            self.left_in_processing("unbekannte_felder.json", minutes_ago=11)
            with self.assertLogs("agency.ingest", "WARNING"), crashing:
                with self.assertRaises(MemoryError):
                    self.run_ingest()
        self.left_in_processing("unbekannte_felder.json", minutes_ago=11)

        with self.assertLogs("agency.ingest", "ERROR"):
            report = self.run_ingest()

        self.assertEqual(report.created, [])
        failed = self.folder / "failed" / "unbekannte_felder.json"
        self.assertTrue(failed.exists())
        self.assertIn(
            "3 Läufe brachen beim Einlesen dieser Datei ab",
            failed.with_name("unbekannte_felder.json.fehler.txt").read_text(),
        )
        self.assertEqual(report.failed[0][0], "unbekannte_felder.json")
        self.assertEqual(list((self.folder / "processing").glob("*.json")), [])

    def test_a_file_taken_in_after_a_crash_starts_counting_afresh(self):
        self.left_in_processing("unbekannte_felder.json", minutes_ago=11)
        with self.assertLogs("agency.ingest", "WARNING"):
            self.run_ingest()
        self.assertTrue((self.folder / "done" / "unbekannte_felder.json").exists())
        self.assertEqual(list((self.folder / "processing").iterdir()), [])

    def test_a_delivery_that_waited_long_is_not_taken_from_the_run_claiming_it(self):
        # Written by the agency an hour ago, read only now.
        for name in ("haushalt_v1.json", "haushalt_v2.json"):
            shutil.copy(SAMPLES / name, self.folder / name)
            written_at = time.time() - 3600
            os.utime(self.folder / name, (written_at, written_at))
        second_run = Report()
        started = []

        def with_a_second_run_meanwhile(*args):
            if not started:
                started.append(second_run)
                ingest_folder(self.agency, second_run)
            return real_ingest(*args)

        with mock.patch("agency.ingest.ingest", with_a_second_run_meanwhile):
            first_run = self.run_ingest()

        # Each run took one file: the first version stayed with the first.
        self.assertEqual([item.version for item in second_run.created], [2])
        self.assertEqual(len(first_run.unchanged), 1)
        self.assertEqual(
            sorted(path.name for path in (self.folder / "done").iterdir()),
            ["haushalt_v1.json", "haushalt_v2.json"],
        )
        self.assertEqual(AgencyItem.objects.get().version, 2)


class RecordedAgency(BaseHTTPRequestHandler):
    """Answers every GET with our recorded pull answer, and notes the
    Authorization header it was sent."""

    answer = (SAMPLES / "abruf_antwort.json").read_bytes()
    seen_authorization = []

    def do_GET(self):
        RecordedAgency.seen_authorization.append(self.headers.get("Authorization"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args):
        pass


class PullTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), RecordedAgency)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)

    def setUp(self):
        host, port = self.server.server_address
        self.agency = make_agency(
            pull_url=f"http://{host}:{port}/eintraege.json", token="geheim-123"
        )
        RecordedAgency.seen_authorization.clear()

    def test_good_items_arrive_and_a_bad_one_is_reported(self):
        report = Report()

        pull(self.agency, report)

        item = AgencyItem.objects.get()
        self.assertEqual(
            item.headline, "Bahnstreik legt Regionalverkehr im Auenland lahm"
        )
        self.assertEqual(item.source, "Abruf dpa")
        self.assertIn("Die Version „eins“ ist keine Zahl", report.failed[0][1])
        self.assertEqual(RecordedAgency.seen_authorization, ["Bearer geheim-123"])
        self.agency.refresh_from_db()
        self.assertIsNotNone(self.agency.last_pulled_at)

    def test_pulling_again_changes_nothing(self):
        pull(self.agency, Report())
        report = Report()

        pull(self.agency, report)

        self.assertEqual(len(report.unchanged), 1)
        self.assertEqual(ItemVersion.objects.count(), 1)

    def test_an_unreachable_agency_is_reported_not_raised(self):
        self.agency.pull_url = "http://127.0.0.1:9/nichts"
        report = Report()

        pull(self.agency, report)

        self.assertIn("Abruf fehlgeschlagen", report.failed[0][1])
        self.assertFalse(AgencyItem.objects.exists())

    def test_a_recorded_answer_can_stand_in_for_the_transport(self):
        report = Report()

        pull(self.agency, report, fetch=lambda url, token: b"[]")

        self.assertEqual(report.failed, [])
        self.assertEqual(RecordedAgency.seen_authorization, [])
