"""A Liveticker under a crowd: many readers polling one ticker through
deploy/nginx.conf while a journalist posts an entry every few seconds.

Starts gunicorn (the page cache on) and nginx with the shipped
configuration in front, as bench_http does; the readers are one asyncio
process, each with its own keep-alive connection, asking every second what
changed since the revision it has, as static/live/ticker.js does. Prints
the p95 delay from an entry's commit to a reader's answer carrying it, and
how often the app rendered a ticker answer (gunicorn's access log, with
the page cache's X-Cache header).
"""

import asyncio
import json
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleStatus, Section
from live.models import Entry, Ticker

from .bench_http import DEPLOY, Nginx, Server, wait_for

POLL_SECONDS = 1.0


class Reader:
    """One browser tab: a connection, the revision it has, what it saw."""

    def __init__(self, host, port, path, revision):
        self.host, self.port, self.path = host, port, path
        self.revision = revision
        self.seen = set()
        self.errors = 0
        self.asked = 0
        self.waited = []

    async def ask(self, reader, writer):
        writer.write(
            f"GET {self.path}?seit={self.revision} HTTP/1.1\r\n"
            f"Host: {self.host}\r\nAccept: application/json\r\n\r\n".encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        status = int(head.split(b" ", 2)[1])
        body = await reader.readexactly(length)
        if status != 200:
            self.errors += 1
            return []
        answer = json.loads(body)
        self.revision = answer["revision"]
        return [entry["id"] for entry in answer["entries"]]

    async def run(self, until, saved, delays):
        await asyncio.sleep(random.random() * POLL_SECONDS)
        reader, writer = await asyncio.open_connection(self.host, self.port)
        while time.monotonic() < until:
            started = time.monotonic()
            self.asked += 1
            try:
                ids = await self.ask(reader, writer)
            except (OSError, asyncio.IncompleteReadError, StopIteration):
                self.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(self.host, self.port)
                continue
            now = time.time()
            self.waited.append(time.monotonic() - started)
            for pk in ids:
                if pk not in self.seen and pk in saved:
                    self.seen.add(pk)
                    delays.append(now - saved[pk])
            await asyncio.sleep(max(0, POLL_SECONDS - (time.monotonic() - started)))
        writer.close()


class Command(BaseCommand):
    help = (
        "Misst, wie schnell neue Liveticker-Einträge bei vielen Lesern ankommen "
        "(durch nginx mit deploy/nginx.conf) und wie oft die App dafür rendert."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8041, help="erster von zwei")
        parser.add_argument("--readers", type=int, default=1000)
        parser.add_argument("--seconds", type=int, default=30)
        parser.add_argument("--every", type=float, default=5.0, help="Sekunden")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, port, readers, seconds, every, workers, **options):
        if shutil.which("nginx") is None:
            raise CommandError("nginx fehlt (apt-get install nginx).")
        section = Section.objects.first()
        if section is None:
            raise CommandError("Keine Ressorts: erst 'make demo' ausführen.")
        article = Article.objects.create(
            section=section,
            headline=f"Benchmark-Liveticker {timezone.now():%H:%M:%S}",
            lead="Nur für die Messung.",
            status=ArticleStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        ticker = Ticker.objects.create(article=article)
        Entry(ticker=ticker, text="<p>Der Ticker beginnt.</p>").save()
        run_dir = Path(tempfile.mkdtemp(prefix="newsroom-bench-ticker-"))
        run_dir.chmod(0o755)
        servers = []
        try:
            servers.append(self.gunicorn(port, workers, run_dir))
            servers.append(
                Nginx(
                    DEPLOY / "nginx.conf",
                    {
                        "NEWSROOM_RUN_DIR": str(run_dir),
                        "NEWSROOM_LISTEN": f"127.0.0.1:{port + 1}",
                        "NEWSROOM_UPSTREAM": f"127.0.0.1:{port}",
                        "NEWSROOM_STATIC_ROOT": str(settings.STATIC_ROOT),
                    },
                    run_dir,
                )
            )
            path = reverse("live:changes", args=[ticker.pk])
            wait_for(f"http://127.0.0.1:{port + 1}{path}?seit=0", seconds=60)
            result = self.measure(ticker, port + 1, path, readers, seconds, every)
            renders = self.renders(run_dir / "access.log", path)
        finally:
            for server in servers:
                server.stop()
            article.delete()
            shutil.rmtree(run_dir, ignore_errors=True)
        self.report(result, renders, readers, seconds, every, workers)

    def gunicorn(self, port, workers, run_dir):
        return Server(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(DEPLOY / "gunicorn.conf.py"),
                "--access-logformat",
                "%(U)s %({x-cache}o)s",
            ],
            env={
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_ACCESS_LOG": str(run_dir / "access.log"),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            },
        )

    def measure(self, ticker, port, path, readers, seconds, every):
        saved, delays, posted = {}, [], []
        until = time.monotonic() + seconds
        stop = threading.Event()

        def journalist():
            # The desk's save: one row and the ticker's next revision.
            while not stop.wait(every):
                entry = Entry(
                    ticker=Ticker.objects.get(pk=ticker.pk),
                    text=f"<p>Eintrag {len(posted) + 1} aus dem Benchmark.</p>",
                )
                entry.save()
                saved[entry.pk] = time.time()
                # An entry posted in the last seconds may arrive after the end.
                if time.monotonic() < until - 2 * POLL_SECONDS - 1:
                    posted.append(entry.pk)
            connection.close()

        crowd = [
            Reader("127.0.0.1", port, path, ticker.revision) for _ in range(readers)
        ]

        async def everyone():
            await asyncio.gather(*(one.run(until, saved, delays) for one in crowd))

        poster = threading.Thread(target=journalist)
        poster.start()
        started = time.monotonic()
        try:
            asyncio.run(everyone())
        finally:
            stop.set()
            poster.join()
        missed = sum(len(set(posted) - one.seen) for one in crowd)
        return {
            "delays": delays,
            "posted": len(posted),
            "missed": missed,
            "errors": sum(one.errors for one in crowd),
            "asked": sum(one.asked for one in crowd),
            "waited": sorted(wait for one in crowd for wait in one.waited),
            "elapsed": time.monotonic() - started,
        }

    def renders(self, log, path):
        lines = [
            line.split()
            for line in log.read_text().splitlines()
            if line.startswith(path)
        ]
        return {
            "upstream": len(lines),
            "rendered": sum(1 for line in lines if line[-1:] == ["MISS"]),
        }

    def report(self, result, renders, readers, seconds, every, workers):
        delays = sorted(result["delays"])
        if not delays:
            raise CommandError("Kein Eintrag kam an.")
        elapsed = result["elapsed"]
        p95 = delays[int(0.95 * (len(delays) - 1))]
        self.stdout.write(
            f"{readers} Leser, Abfrage jede {POLL_SECONDS:g} s, {seconds} s lang; "
            f"ein Eintrag alle {every:g} s ({result['posted']} Einträge); "
            f"gunicorn mit {workers} Workern hinter nginx (deploy/nginx.conf)."
        )
        self.stdout.write(
            f"Auslieferung (Speichern → beim Leser): Median "
            f"{statistics.median(delays):.2f} s, p95 {p95:.2f} s, "
            f"Maximum {delays[-1]:.2f} s; {len(delays)} Zustellungen, "
            f"{result['missed']} nicht angekommen, {result['errors']} Fehler."
        )
        waited = result["waited"]
        self.stdout.write(
            f"Leser: {result['asked'] / elapsed:.0f} Abfragen/s an nginx, Antwortzeit "
            f"Median {1000 * statistics.median(waited):.1f} ms, "
            f"p95 {1000 * waited[int(0.95 * (len(waited) - 1))]:.1f} ms."
        )
        self.stdout.write(
            f"App: {renders['upstream'] / elapsed:.2f} Anfragen/s von nginx, "
            f"davon gerendert {renders['rendered'] / elapsed:.2f}/s "
            f"({renders['rendered']} insgesamt, der Rest aus dem Seiten-Cache)."
        )
