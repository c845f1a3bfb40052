"""Stop the database under load and watch the site through it.

Give it a database it may stop: DATABASE_URL must name a PostgreSQL server of
its own, and --stop/--start the shell commands that stop and start it, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:8148/newsroom_drill \\
    python manage.py outage_drill \\
        --stop "pg_ctlcluster 15 drill stop -m fast" \\
        --start "pg_ctlcluster 15 drill start"
"""

import secrets
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from articles.models import Article
from devtools.drills import Editor, Server, fetch

EDITOR = "ausfalltest-redaktion"
OUTAGE_PAGE = "vorübergehend nicht erreichbar"
NOT_SAVED = "Ihre Änderungen wurden nicht gespeichert"


class Command(BaseCommand):
    help = (
        "Ausfallübung: stoppt die Datenbank unter Last, protokolliert pro Sekunde "
        "die Antworten und prüft 503-Seite, Erholung ohne Neustart und Sicherungen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stop", required=True, help="Befehl, der die Datenbank stoppt"
        )
        parser.add_argument("--start", required=True, help="Befehl, der sie startet")
        parser.add_argument(
            "--outage", type=int, default=10, help="Sekunden ohne Datenbank"
        )
        parser.add_argument("--before", type=int, default=8)
        parser.add_argument("--after", type=int, default=15)
        parser.add_argument("--readers", type=int, default=8)
        parser.add_argument("--port", type=int, default=8142)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Die Übung braucht PostgreSQL (DATABASE_URL).")
        call_command("load_demo_content", verbosity=0, stdout=self.stdout)
        password = secrets.token_urlsafe(16)
        user, _ = get_user_model().objects.get_or_create(
            username=EDITOR, defaults={"is_staff": True, "is_superuser": True}
        )
        user.set_password(password)
        user.save()
        article = Article.objects.published().order_by("pk").first()
        self.timeline = defaultdict(Counter)
        self.tracebacks = 0
        log = Path(tempfile.gettempdir()) / f"newsroom-drill-{options['port']}.log"
        with Server(options["port"], options["workers"], log) as server:
            self.site = server.url
            self.started = time.monotonic()
            self.stopping = False
            readers = [
                threading.Thread(target=self.reader, args=[article], daemon=True)
                for _ in range(options["readers"])
            ]
            for thread in readers:
                thread.start()
            editor = Editor(server.url, EDITOR, password)
            path = reverse("admin:articles_article_change", args=[article.pk])
            saved_lead = f"Vor dem Ausfall gesichert ({secrets.token_hex(4)})."
            before_status = self.save(editor, path, saved_lead)[0]
            time.sleep(max(0, options["before"] - self.elapsed()))
            down_at = self.elapsed()
            self.shell(options["stop"])
            time.sleep(options["outage"] / 2)
            during_status, during_page = self.save(
                editor, path, "Während des Ausfalls."
            )
            time.sleep(max(0, down_at + options["outage"] - self.elapsed()))
            up_at = self.elapsed()
            self.shell(options["start"])
            time.sleep(options["after"])
            after_status = self.save(editor, path, saved_lead + " Nach dem Ausfall.")[0]
            self.stopping = True
            for thread in readers:
                thread.join(timeout=60)
        connection.close()
        article.refresh_from_db()
        self.report(
            down_at,
            up_at,
            before_status,
            during_status,
            during_page,
            after_status,
            article.lead,
            saved_lead,
            server.log_text(),
        )

    def elapsed(self):
        return time.monotonic() - self.started

    def shell(self, command):
        subprocess.run(command, shell=True, check=True, capture_output=True)

    def save(self, editor, path, lead):
        fields = editor.open_form(path, "article_form")
        if fields is None:
            # The form cannot even be opened during the outage: send what a
            # browser would have kept from before.
            fields = self.last_fields
        self.last_fields = fields
        status, page, _ = editor.submit(path, fields, lead=lead)
        self.timeline[int(self.elapsed())][f"Redaktion {status}"] += 1
        return status, page

    def reader(self, article):
        paths = ["/", article.get_absolute_url(), article.section.get_absolute_url()]
        number = 0
        while not self.stopping:
            number += 1
            status, page, _ = fetch(self.site + paths[number % 3], timeout=10)
            self.timeline[int(self.elapsed())][status] += 1
            if status >= 500 and ("Traceback" in page or OUTAGE_PAGE not in page):
                self.tracebacks += 1
            time.sleep(0.05)

    def report(
        self,
        down_at,
        up_at,
        before_status,
        during_status,
        during_page,
        after_status,
        final_lead,
        saved_lead,
        log,
    ):
        write = self.stdout.write
        write(f"Datenbank gestoppt bei {down_at:.1f} s, gestartet bei {up_at:.1f} s")
        write("Sekunde  Antworten")
        for second in sorted(self.timeline):
            counts = self.timeline[second]
            cells = ", ".join(
                f"{status}: {n}" for status, n in sorted(counts.items(), key=str)
            )
            write(f"{second:>7}  {cells}")
        statuses = Counter()
        for counts in self.timeline.values():
            statuses.update(counts)
        last = max(self.timeline)
        recovered = all(
            status in (200, "Redaktion 302")
            for second in range(last - 4, last + 1)
            for status in self.timeline.get(second, {})
        )
        write(
            f"Sicherung vorher: {before_status}, während: {during_status}"
            f"{' mit Hinweis „nicht gespeichert“' if NOT_SAVED in during_page else ''}"
            f", danach: {after_status}"
        )
        write(f"Antworten gesamt: {dict(sorted(statuses.items(), key=str))}")
        problems = [
            message
            for failed, message in (
                (statuses[500], "500er"),
                (self.tracebacks, "5xx-Seiten ohne die 503-Seite"),
                ("Traceback" in during_page, "Traceback beim Sichern"),
                (not recovered, "keine Erholung in den letzten 5 Sekunden"),
                (before_status != 302, "Sichern vor dem Ausfall ging nicht"),
                (
                    during_status != 503 or NOT_SAVED not in during_page,
                    "Sichern während des Ausfalls ohne klare 503-Meldung",
                ),
                (after_status != 302, "Sichern nach dem Ausfall ging nicht"),
                (
                    not final_lead.startswith(saved_lead),
                    "vor dem Ausfall Gesichertes verloren",
                ),
            )
            if failed
        ]
        write(
            f"Server-Log: {log.count('Traceback')} Tracebacks (Ausfall protokolliert)"
        )
        if problems:
            raise CommandError("; ".join(problems))
        write(
            self.style.SUCCESS(
                "503 während des Ausfalls, Erholung ohne Neustart, nichts verloren."
            )
        )
