"""Instructions per request under gunicorn, counted by callgrind (issue 16).

`make bench` measures CPU time, which on a shared two-core machine swings
by a fifth from run to run, even as ratios within one run. This command
counts instructions instead: the same work costs the same count whatever
else the machine is doing. It starts one gunicorn sync worker (the
settings of `make serve`, the URLconf of `make bench`) under valgrind's
callgrind, warms every target, then sends each target's requests one after
the other and has the worker dump its count after each group
(devtools.instructions). The goals of issue 16 are printed as ratios of
these counts to the framework floor and the reference render.

Instructions are not time: a page that copies many bytes or misses the CPU
caches costs more time per instruction than the floor. Both yardsticks are
needed; this one is the one that repeats.
"""

import http.client
import shutil
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools import instructions

from .bench_http import bench_article, children, gunicorn

FLOOR = "boden"
REFERENCE = "referenz"
FROM_CACHE = "artikel-aus-dem-cache"
RENDERED = "artikel-gerendert"
NAMES = {
    FLOOR: "Boden: Django, 2 Bytes",
    REFERENCE: "Referenz: Template 68 KB",
    FROM_CACHE: "Artikel aus dem Cache",
    RENDERED: "Artikel, Cache-Fehlgriff",
}
# Under valgrind a worker runs some fifty times slower than natively.
STARTUP_SECONDS = 300


class Command(BaseCommand):
    help = (
        "Zählt mit valgrind (callgrind) die Instruktionen je Anfrage eines "
        "gunicorn-Workers: Boden, Referenz, Artikel aus dem Cache und gerendert."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8041)
        parser.add_argument(
            "--requests", type=int, default=40, help="je Ziel (Standard: 40)"
        )

    def handle(self, *args, port, requests, **options):
        if shutil.which("valgrind") is None:
            raise CommandError("valgrind fehlt (apt-get install valgrind).")
        article = bench_article()
        run_dir = Path(tempfile.mkdtemp(prefix="newsroom-instructions-"))
        try:
            library = instructions.build_library(run_dir)
            counted = self.count(
                port, run_dir, library, article.get_absolute_url(), requests
            )
        except instructions.CounterUnavailable as error:
            raise CommandError(str(error)) from error
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)
        self.report(counted, requests)

    def count(self, port, run_dir, library, article_path, requests):
        server = gunicorn(
            port,
            workers=1,
            threads=1,
            under=(
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={run_dir}/callgrind.%p",
            ),
            GUNICORN_TIMEOUT=str(STARTUP_SECONDS),
            # The same hashes in every run, so the same work.
            PYTHONHASHSEED="0",
            **{instructions.LIBRARY_VARIABLE: str(library)},
        )
        new_address = iter(range(1, 1_000_000))
        targets = {
            FLOOR: lambda: "/__messung/boden/",
            REFERENCE: lambda: "/__messung/referenz/",
            FROM_CACHE: lambda: article_path,
            # As make bench's cache miss: a parameter no page reads, new
            # each time, so the page is rendered and not kept.
            RENDERED: lambda: f"{article_path}?neu={next(new_address)}",
        }
        try:
            self.wait_until_up(port)
            worker = children(server.process.pid)[0]
            for address in targets.values():
                for _ in range(3):
                    self.get(port, address())
            self.get(port, "/__messung/zaehler/start/")
            self.get(port, "/__messung/zaehler/leerlauf/")
            for label, address in targets.items():
                self.stderr.write(f"{NAMES[label]}: {requests} Anfragen …")
                for _ in range(requests):
                    self.get(port, address())
                self.get(port, f"/__messung/zaehler/{label}/")
        finally:
            server.stop()
        counted = instructions.read_dumps(run_dir, worker)
        missing = {"leerlauf", *targets} - set(counted)
        if missing:
            raise CommandError(f"callgrind schrieb nichts für: {', '.join(missing)}")
        return counted

    def wait_until_up(self, port):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                self.get(port, "/__messung/boden/")
                return
            except OSError:
                time.sleep(1)
        raise CommandError("gunicorn unter valgrind antwortet nicht.")

    def get(self, port, path):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            # As wrk in make bench: a browser's compressed answer.
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise CommandError(f"{path} antwortet mit {response.status}.")

    def report(self, counted, requests):
        figures = {
            label: instructions.per_request(counted, label, requests) for label in NAMES
        }
        floor, reference = figures[FLOOR], figures[REFERENCE]
        self.stdout.write(
            f"\nInstruktionen je Anfrage (callgrind, ein gunicorn-Worker, "
            f"{requests} Anfragen je Ziel)"
        )
        self.stdout.write(
            f"{'Seite':<28}{'Mio. Instr.':>12}{'× Boden':>9}{'× Referenz':>11}"
        )
        for label, value in figures.items():
            self.stdout.write(
                f"{NAMES[label]:<28}{value / 1e6:>12.3f}"
                f"{value / floor:>9.2f}{value / reference:>11.2f}"
            )
        self.stdout.write("\nZiele (Instruktionen):")
        for text, ratio, goal in (
            ("Artikel aus dem Cache ≤ 2 × Boden", figures[FROM_CACHE] / floor, 2.0),
            ("Artikel gerendert ≤ 1,0 × Referenz", figures[RENDERED] / reference, 1.0),
        ):
            verdict = "erreicht" if ratio <= goal else "verfehlt"
            self.stdout.write(f"  {text}: {ratio:.2f} – {verdict}")
