"""The HTTP benchmark (``make bench``): our pages against nginx sending a file.

Starts two gunicorn instances on the current database (2 sync workers each:
one with the page cache, one without), nginx with deploy/nginx.conf and
Varnish with deploy/varnish.vcl in front of the cached one, and a plain
nginx serving a saved copy of the article page
as the reference. Each page is loaded with wrk for a few seconds, in several
rounds; the medians of requests/s, p50/p99 latency and server CPU time per
request (user + system time of the serving processes, from /proc) are
printed with their ratio to the static reference, along with the SQL
queries each page takes with and without the cache, and the bytes of
each answer. wrk asks for gzip, as browsers do; the static copy is sent
pre-compressed (gzip_static), so that it compares with the pages the
caches keep compressed.

Two yardsticks from devtools.bench_site run in the same gunicorn, through
the same middleware as a reader's request: the framework floor (a view
returning two bytes) and the reference render (a bare template of a 68 KB
German article page from a dict in memory). The goals of issue 16 are
ratios to them, printed at the end. `--quick` measures only the article's
targets and the yardsticks, in one round of 2 s unless told otherwise.
"""

import gzip
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from string import Template

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from articles.models import Article, Section
from devtools.varnish import varnishd_command

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STATIC = "Statische Kopie (nginx)"
FLOOR = "Boden: Django, 2 Bytes"
REFERENCE = "Referenz: Template 68 KB"
FROM_CACHE = "Artikel aus dem Cache"
RENDERED = "Artikel, Cache-Fehlgriff"
MICRO_CACHE = "Artikel, nginx-Mikrocache"
VARNISH = "Artikel, Varnish"
QUICK = (STATIC, FLOOR, REFERENCE, FROM_CACHE, RENDERED, MICRO_CACHE, VARNISH)
DEPLOY = Path(settings.BASE_DIR) / "deploy"
# wrk adds a parameter no page reads, new each time: every page is rendered
# (and, being such an address, not kept), with everything else as warm as
# for a page that has just dropped out of the cache.
EVERY_REQUEST_NEW = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?neu=" .. counter)
end
"""


def cpu_seconds(pids):
    """User plus system time the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def wait_for(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"{url} antwortet nicht.")


def kilobytes(amount):
    """wrk's "12.34MB" in kilobytes."""
    value, unit = re.fullmatch(r"([\d.]+)(B|KB|MB|GB)", amount).groups()
    return float(value) * {"B": 1 / 1024, "KB": 1, "MB": 1024, "GB": 1024**2}[unit]


def milliseconds(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


class Server:
    def __init__(self, args, env=None, master_is_worker=False):
        self.process = subprocess.Popen(
            args,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.master_is_worker = master_is_worker

    def pids(self):
        return children(self.process.pid)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def gunicorn(port, workers, threads, under=(), **env):
    """gunicorn serving the site and its yardsticks (devtools.bench_wsgi)
    with `make serve`'s settings, started by the command `under` (say,
    valgrind) if given."""
    return Server(
        [
            *under,
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "devtools.bench_wsgi:application",
        ],
        env={
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            **env,
        },
    )


def bench_article():
    """The article the benchmarks measure: one with boxes, if there is one."""
    article = (
        Article.objects.published()
        .select_related("section")
        .filter(topic_boxes__isnull=False)
        .first()
    ) or Article.objects.published().select_related("section").first()
    if article is None:
        raise CommandError("Keine Artikel: erst 'make demo' ausführen.")
    return article


class Nginx(Server):
    def __init__(self, template, values, run_dir):
        config = run_dir / Path(template).name
        config.write_text(Template(Path(template).read_text()).safe_substitute(values))
        super().__init__(
            ["nginx", "-p", str(run_dir), "-c", str(config), "-g", "daemon off;"]
        )


class Command(BaseCommand):
    help = (
        "Misst Anfragen/s, Latenz und Server-CPU je Anfrage unter gunicorn "
        "gegen eine statische Kopie der Artikelseite hinter nginx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8021, help="erster von fünf")
        parser.add_argument("--rounds", type=int, help="3, mit --quick 1")
        parser.add_argument("--seconds", type=int, help="5, mit --quick 2")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument(
            "--quick",
            action="store_true",
            help="eine Runde zu 2 s, nur Artikel und Maßstäbe (für CI)",
        )

    def handle(
        self, *args, port, rounds, seconds, connections, workers, threads, quick, **o
    ):
        self.quick = quick
        rounds = rounds or (1 if quick else 3)
        seconds = seconds or (2 if quick else 5)
        for program in ("wrk", "nginx", "varnishd"):
            if shutil.which(program) is None:
                raise CommandError(f"{program} fehlt (apt-get install {program}).")
        article = bench_article()
        paths = {
            "Artikel": article.get_absolute_url(),
            "Startseite": reverse("articles:front_page"),
            "Ressort": Section.objects.top_level().first().get_absolute_url(),
        }
        queries = self.count_queries(paths)
        self.servers = []
        run_dir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
        # nginx's workers run as an unprivileged user and must read the copy.
        run_dir.chmod(0o755)
        try:
            results = self.run(
                paths, port, run_dir, rounds, seconds, connections, workers, threads
            )
        finally:
            for server in self.servers:
                server.stop()
            shutil.rmtree(run_dir, ignore_errors=True)
        self.report(results, queries, rounds, seconds, connections, workers, threads)

    def count_queries(self, paths):
        """SQL queries per page through the whole stack: without the page
        cache, missing it (a new address), and from it."""
        setup_test_environment()
        client = Client()
        counts = {}
        for name, path in paths.items():
            cache.clear()
            client.get(reverse("articles:front_page"))  # the ads' snapshot
            cache.clear()
            with override_settings(PAGE_CACHE_SECONDS=0):
                client.get(path)  # the ad snapshot and other per-process state
                with CaptureQueriesContext(connection) as cold:
                    client.get(path)
            # Read now: the captured list is a view on a log each request resets.
            cold_count = len(cold)
            client.get(path)
            with CaptureQueriesContext(connection) as missing:
                client.get(f"{path}?neu=1")
            missing_count = len(missing)
            with CaptureQueriesContext(connection) as warm:
                client.get(path)
            counts[name] = (cold_count, len(warm), missing_count)
        return counts

    def run(self, paths, port, run_dir, rounds, seconds, connections, workers, threads):
        # Purges Varnish (port + 4), which may then keep pages longer.
        cached = gunicorn(
            port,
            workers,
            threads,
            DJANGO_VARNISH_PURGE_URLS=f"http://127.0.0.1:{port + 4}",
        )
        uncached = gunicorn(port + 1, workers, threads, DJANGO_PAGE_CACHE_SECONDS="0")
        self.servers += [cached, uncached]
        article_url = f"http://127.0.0.1:{port + 1}{paths['Artikel']}"
        copy_dir = run_dir / "copy"
        copy_dir.mkdir()
        copy = wait_for(article_url)
        (copy_dir / "index.html").write_bytes(copy)
        # As compressed as deploy/nginx.conf keeps a page (gzip_comp_level).
        (copy_dir / "index.html.gz").write_bytes(gzip.compress(copy, 6))
        wait_for(f"http://127.0.0.1:{port}/")
        values = {
            "NEWSROOM_RUN_DIR": str(run_dir),
            "NEWSROOM_LISTEN": f"127.0.0.1:{port + 2}",
            "NEWSROOM_UPSTREAM": f"127.0.0.1:{port}",
            "NEWSROOM_STATIC_ROOT": str(settings.STATIC_ROOT),
            "NEWSROOM_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "NEWSROOM_STATIC_LISTEN": f"127.0.0.1:{port + 3}",
            "NEWSROOM_STATIC_COPY": str(copy_dir),
        }
        micro = Nginx(DEPLOY / "nginx.conf", values, run_dir)
        static = Nginx(DEPLOY / "nginx-static.conf", values, run_dir)
        varnish = Server(varnishd_command(port + 4, [port], run_dir))
        self.servers += [micro, static, varnish]
        wait_for(f"http://127.0.0.1:{port + 3}/")
        wait_for(f"http://127.0.0.1:{port + 2}/")
        wait_for(f"http://127.0.0.1:{port + 4}/")

        def base(server_port):
            return f"http://127.0.0.1:{server_port}"

        every_request_new = run_dir / "every-request-new.lua"
        every_request_new.write_text(EVERY_REQUEST_NEW)

        targets = [
            (STATIC, base(port + 3) + "/", [static]),
            # The floor under every Django page: a tiny view, no database.
            (FLOOR, base(port) + "/__messung/boden/", [cached]),
            (REFERENCE, base(port) + "/__messung/referenz/", [cached]),
            ("Artikel ungecacht", base(port + 1) + paths["Artikel"], [uncached]),
            (
                RENDERED,
                base(port) + paths["Artikel"],
                [cached],
                every_request_new,
            ),
            (FROM_CACHE, base(port) + paths["Artikel"], [cached]),
            (
                MICRO_CACHE,
                base(port + 2) + paths["Artikel"],
                [micro, cached],
            ),
            (VARNISH, base(port + 4) + paths["Artikel"], [varnish, cached]),
            ("Startseite ungecacht", base(port + 1) + paths["Startseite"], [uncached]),
            ("Startseite aus dem Cache", base(port) + paths["Startseite"], [cached]),
            ("Ressort ungecacht", base(port + 1) + paths["Ressort"], [uncached]),
            ("Ressort aus dem Cache", base(port) + paths["Ressort"], [cached]),
        ]
        if self.quick:
            targets = [target for target in targets if target[0] in QUICK]
        results = {target[0]: [] for target in targets}
        for number in range(rounds):
            self.stderr.write(f"Runde {number + 1} von {rounds} …")
            for name, url, servers, *script in targets:
                wait_for(url)  # warms the caches that this target keeps warm
                results[name].append(
                    self.wrk(url, servers, seconds, connections, *script)
                )
        return results

    def wrk(self, url, servers, seconds, connections, script=None):
        pids = [pid for server in servers for pid in server.pids()]
        before = cpu_seconds(pids)
        output = subprocess.run(
            [
                "wrk",
                "--latency",
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "-H",
                "Accept-Encoding: gzip",
                *(["-s", str(script)] if script else []),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu = cpu_seconds(pids) - before
        requests, read = re.search(
            r"(\d+) requests in [\d.]+\w+, ([\d.]+\w+) read", output
        ).groups()
        requests = int(requests)
        latency = dict(
            (percent, milliseconds(value, unit))
            for percent, value, unit in re.findall(
                r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE
            )
        )
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if errors or "Socket errors" in output and "timeout" in output:
            self.stderr.write(f"Warnung bei {url}:\n{output}")
        return {
            "rps": requests / seconds,
            "p50": latency["50"],
            "p99": latency["99"],
            "cpu_ms": 1000 * cpu / max(requests, 1),
            "kb": kilobytes(read) / max(requests, 1),
        }

    def report(self, results, queries, rounds, seconds, connections, workers, threads):
        medians = {
            name: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            for name, runs in results.items()
        }
        static, floor, reference = (
            medians[name] for name in (STATIC, FLOOR, REFERENCE)
        )
        self.stdout.write(
            f"\nMediane aus {rounds} Runden, je {seconds} s mit wrk, "
            f"{connections} Verbindungen, gunicorn mit {workers} Workern "
            f"zu {threads} Thread(s); Boden und Referenz durch die ganze "
            "MIDDLEWARE des Projekts, wie die Anfrage eines Lesers"
        )
        self.stdout.write(
            f"{'Seite':<28}{'Anfr./s':>9}{'Anteil':>8}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'CPU ms/Anfr.':>14}{'× Boden':>9}{'× Referenz':>11}{'SQL':>5}"
            f"{'KB':>7}"
        )
        sql = {
            "Artikel ungecacht": queries["Artikel"][0],
            RENDERED: queries["Artikel"][2],
            FROM_CACHE: queries["Artikel"][1],
            "Startseite ungecacht": queries["Startseite"][0],
            "Startseite aus dem Cache": queries["Startseite"][1],
            "Ressort ungecacht": queries["Ressort"][0],
            "Ressort aus dem Cache": queries["Ressort"][1],
        }
        for name, figures in medians.items():
            self.stdout.write(
                f"{name:<28}{figures['rps']:>9.0f}"
                f"{figures['rps'] / static['rps']:>8.1%}"
                f"{figures['p50']:>9.2f}{figures['p99']:>9.2f}"
                f"{figures['cpu_ms']:>14.3f}"
                f"{figures['cpu_ms'] / max(floor['cpu_ms'], 1e-6):>9.2f}"
                f"{figures['cpu_ms'] / max(reference['cpu_ms'], 1e-6):>11.2f}"
                f"{sql.get(name, '–')!s:>5}{figures['kb']:>7.1f}"
            )
        goals = [
            (
                "Artikel aus dem Cache ≤ 2 × Boden (CPU)",
                medians[FROM_CACHE]["cpu_ms"] / floor["cpu_ms"],
                2.0,
                False,
            ),
            (
                "Artikel gerendert ≤ 1,0 × Referenz (CPU)",
                medians[RENDERED]["cpu_ms"] / reference["cpu_ms"],
                1.0,
                False,
            ),
            (
                "nginx-Mikrocache ≥ 0,9 × statisch (Anfr./s)",
                medians[MICRO_CACHE]["rps"] / static["rps"],
                0.9,
                True,
            ),
            (
                "Varnish ≥ 0,9 × statisch (Anfr./s)",
                medians[VARNISH]["rps"] / static["rps"],
                0.9,
                True,
            ),
        ]
        self.stdout.write("\nZiele (Verhältnisse aus diesem einen Lauf):")
        for goal, ratio, limit, at_least in goals:
            met = ratio >= limit if at_least else ratio <= limit
            self.stdout.write(
                f"  {goal:<46}{ratio:>6.2f}  {'erreicht' if met else 'VERFEHLT'}"
            )
