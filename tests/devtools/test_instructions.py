"""Counting a worker's instructions with callgrind (bench_instructions)."""

import os
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest import mock, skipUnless

from django.test import SimpleTestCase, TestCase, override_settings

from devtools import instructions


def dump_file(directory, pid, number, trigger, total):
    (directory / f"callgrind.{pid}.{number}").write_text(
        f"version: 1\ncreator: callgrind-3.19.0\npid: {pid}\n"
        f"desc: Trigger: {trigger}\n\npositions: line\nevents: Ir\n"
        f"summary: {total}\ntotals: {total}\n"
    )


class ReadingDumpsTests(SimpleTestCase):
    def setUp(self):
        self.directory = TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.path = Path(self.directory.name)

    def test_each_dump_is_read_under_the_label_its_request_gave(self):
        dump_file(self.path, 41, 1, "Client Request: start", 900_000_000)
        dump_file(self.path, 41, 2, "Client Request: leerlauf", 200_000)
        dump_file(self.path, 41, 3, "Client Request: boden", 16_200_000)
        dump_file(self.path, 41, 4, "Program termination", 5_000_000)
        dump_file(self.path, 42, 1, "Client Request: boden", 1)

        counted = instructions.read_dumps(self.path, 41)

        self.assertEqual(
            counted, {"start": 900_000_000, "leerlauf": 200_000, "boden": 16_200_000}
        )

    def test_a_request_costs_its_group_less_the_idle_group_divided_by_its_number(
        self,
    ):
        counted = {"leerlauf": 200_000, "boden": 16_200_000}

        self.assertEqual(instructions.per_request(counted, "boden", 10), 1_600_000)


@override_settings(ROOT_URLCONF="devtools.bench_site")
class CounterViewTests(TestCase):
    def setUp(self):
        instructions.loaded_library.cache_clear()
        self.addCleanup(instructions.loaded_library.cache_clear)

    def test_without_the_library_the_counter_is_not_there(self):
        with mock.patch.dict(os.environ, {instructions.LIBRARY_VARIABLE: ""}):
            response = self.client.get("/__messung/zaehler/boden/")

        self.assertEqual(response.status_code, 404)

    @skipUnless(instructions.HEADER.exists(), "valgrind ist nicht installiert")
    def test_outside_valgrind_the_built_counter_answers_and_counts_nothing(self):
        with TemporaryDirectory() as directory:
            library = instructions.build_library(directory)
            with mock.patch.dict(
                os.environ, {instructions.LIBRARY_VARIABLE: str(library)}
            ):
                response = self.client.get("/__messung/zaehler/boden/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")

    def test_a_label_callgrind_could_not_name_a_group_by_is_refused(self):
        with self.assertRaises(ValueError):
            instructions.dump("zwei wörter")
