"""Readers, editors and ad managers at once against gunicorn.

Writes to the database it runs on (articles are edited, published and
withdrawn, campaigns saved, views and ads counted): run it on a scratch copy.
"""

import random
import re
import secrets
import statistics
import tempfile
import threading
import time
from collections import Counter
from itertools import count
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Sum
from django.urls import reverse

from ads.models import AdEvent, Campaign, EventCount
from articles.models import Article, ArticleStatus, Section
from devtools.drills import Editor, Server, fetch
from readership.models import DailyArticleViews

TOKEN = re.compile(r'data-ad-token="([^"]+)"')
VIEW_TOKEN = re.compile(r' data-token="([^"]+)"')
EDITOR = "lasttest-redaktion"
AD_MANAGER = "lasttest-anzeigen"
UPDATED = " (aktualisiert)"


class Tally:
    """What the simulated browsers did and saw, shared by all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.seconds = []
        self.sent = Counter()
        self.accepted = Counter()
        self.admin = Counter()

    def answer(self, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.seconds.append(seconds)

    def beacon(self, kind, number, accepted):
        with self.lock:
            self.sent[kind] += number
            if accepted:
                self.accepted[kind] += number

    def admin_result(self, what, status):
        with self.lock:
            self.statuses[status] += 1
            self.admin[what] += 1


def counted_totals():
    totals = {
        event: EventCount.objects.counted()
        .filter(event=event)
        .aggregate(total=Sum("count"))["total"]
        or 0
        for event in AdEvent.values
    }
    totals["view"] = (
        DailyArticleViews.objects.aggregate(total=Sum("views"))["total"] or 0
    )
    return totals


def deadlocks():
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = (
        "Lasttest: Leser, Redaktion und Anzeigenverwaltung gleichzeitig gegen "
        "gunicorn; prüft 5xx, Deadlocks und dass jede Zählung ankommt. "
        "Schreibt in die Datenbank: nur auf einer Testkopie laufen lassen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=120)
        parser.add_argument("--readers", type=int, default=50)
        parser.add_argument("--editors", type=int, default=2)
        parser.add_argument("--ad-managers", type=int, default=1)
        parser.add_argument(
            "--pause", type=float, default=3, help="Sekunden zwischen zwei Sicherungen"
        )
        parser.add_argument(
            "--no-demo",
            dest="demo",
            action="store_false",
            help="die Inhalte der Datenbank nehmen, ohne die Demo-Inhalte zu laden",
        )
        parser.add_argument("--port", type=int, default=8141)
        parser.add_argument("--workers", type=int, default=4)

    def handle(self, *args, **options):
        self.options = options
        self.tally = Tally()
        self.addresses = count(1)
        passwords = self.prepare()
        self.articles = list(
            Article.objects.published().select_related("section").order_by("pk")
        )
        # Editors work on a few articles; readers read all of them.
        self.desk = self.articles[: max(4, options["editors"] * 3)]
        self.sections = [s.get_absolute_url() for s in Section.objects.all()]
        self.campaigns = list(Campaign.objects.values_list("pk", flat=True))
        before, deadlocks_before = counted_totals(), deadlocks()
        log = Path(tempfile.gettempdir()) / f"newsroom-load-{options['port']}.log"
        # The readers' X-Forwarded-For stands in for our proxy's, giving each
        # page view its own address.
        server = Server(
            options["port"], options["workers"], log, DJANGO_BEHIND_PROXY="1"
        )
        with server:
            self.site = server.url
            self.deadline = time.monotonic() + options["seconds"]
            threads = [
                threading.Thread(target=self.reader, daemon=True)
                for _ in range(options["readers"])
            ]
            threads += [
                threading.Thread(
                    target=self.editor, args=[passwords[EDITOR]], daemon=True
                )
                for _ in range(options["editors"])
            ]
            threads += [
                threading.Thread(
                    target=self.ad_manager, args=[passwords[AD_MANAGER]], daemon=True
                )
                for _ in range(options["ad_managers"])
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(0, self.deadline - time.monotonic()) + 60)
            elapsed = time.monotonic() - started
            stuck = sum(thread.is_alive() for thread in threads)
        self.report(elapsed, stuck, before, deadlocks_before, server.log_text())

    def prepare(self):
        if self.options["demo"]:
            for command in ("load_demo_content", "load_demo_ads"):
                call_command(command, verbosity=0, stdout=self.stdout)
        passwords = {}
        users = get_user_model().objects
        for username, superuser in ((EDITOR, True), (AD_MANAGER, False)):
            user, _ = users.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_superuser": superuser},
            )
            passwords[username] = secrets.token_urlsafe(16)
            user.set_password(passwords[username])
            user.save()
        users.get(username=AD_MANAGER).groups.add(
            Group.objects.get(name="Anzeigenverwaltung")
        )
        # Articles withdrawn by the last run come back.
        for article in Article.objects.filter(status=ArticleStatus.WITHDRAWN):
            article.publish()
        return passwords

    def running(self):
        return time.monotonic() < self.deadline

    def reader(self):
        count_view = self.site + reverse("readership:count_view")
        beacon = self.site + reverse("ads:beacon")
        while self.running():
            # Every page view from its own address, as from many readers,
            # so that the per-address rate limit leaves the counts alone.
            number = next(self.addresses)
            headers = {
                "X-Forwarded-For": f"10.{number >> 16 & 255}.{number >> 8 & 255}."
                f"{number & 255}"
            }
            choice = random.random()
            if choice < 0.2:
                path = "/"
            elif choice < 0.4:
                path = random.choice(self.sections)
            else:
                path = random.choice(self.articles).get_absolute_url()
            status, page, seconds = fetch(self.site + path, headers=headers)
            self.tally.answer(status, seconds)
            if status != 200:
                continue
            if view_token := VIEW_TOKEN.search(page):
                status, _, seconds = fetch(
                    count_view, {"token": view_token.group(1)}, headers
                )
                self.tally.answer(status, seconds)
                self.tally.beacon("view", 1, status == 204)
            tokens = TOKEN.findall(page)
            if not tokens:
                continue
            for event, chosen in (
                (AdEvent.SERVED, tokens),
                (AdEvent.VIEWABLE, random.sample(tokens, len(tokens) // 2 + 1)),
            ):
                status, _, seconds = fetch(beacon, {event: chosen}, headers)
                self.tally.answer(status, seconds)
                self.tally.beacon(event, len(chosen), status == 204)
            if random.random() < 0.1:
                token = random.choice(tokens)
                status, _, seconds = fetch(
                    self.site + reverse("ads:click", args=[token]), headers=headers
                )
                self.tally.answer(status, seconds)
                self.tally.beacon(AdEvent.CLICK, 1, status == 302)

    def editor(self, password):
        editor = Editor(self.site, EDITOR, password)
        changelist = reverse("admin:articles_article_changelist")
        while self.running():
            article = random.choice(self.desk)
            if random.random() < 0.6:
                path = reverse("admin:articles_article_change", args=[article.pk])
                fields = editor.open_form(path, "article_form")
                if fields is None:
                    self.tally.admin_result("Formular nicht geladen", 0)
                    continue
                lead = dict(fields)["lead"]
                lead = (
                    lead.removesuffix(UPDATED)
                    if lead.endswith(UPDATED)
                    else lead + UPDATED
                )
                status, page, _ = editor.submit(path, fields, lead=lead)
                if status == 302:
                    outcome = "Artikel gesichert"
                elif "Nicht gespeichert" in page:
                    outcome = "Artikel: Konflikt gemeldet"
                else:
                    outcome = f"Artikel: Antwort {status}"
                self.tally.admin_result(outcome, status)
            else:
                published = self.is_published(article)
                action = "withdraw" if published else "publish"
                status = editor.run_action(changelist, action, [article.pk])
                self.tally.admin_result(f"Aktion {action}", status)
            time.sleep(self.options["pause"])

    def is_published(self, article):
        # From a thread of its own: its connection is closed at once, so
        # that none outlives the run.
        try:
            return Article.objects.published().filter(pk=article.pk).exists()
        finally:
            connection.close()

    def ad_manager(self, password):
        manager = Editor(self.site, AD_MANAGER, password)
        while self.running():
            path = reverse(
                "admin:ads_campaign_change", args=[random.choice(self.campaigns)]
            )
            fields = manager.open_form(path, "campaign_form")
            if fields is None:
                self.tally.admin_result("Kampagne nicht geladen", 0)
                continue
            status, _, _ = manager.submit(
                path, fields, weight=str(random.randint(1, 10))
            )
            outcome = (
                "Kampagne gesichert" if status == 302 else f"Kampagne: Antwort {status}"
            )
            self.tally.admin_result(outcome, status)
            time.sleep(self.options["pause"])

    def report(self, elapsed, stuck, before, deadlocks_before, log):
        tally, options = self.tally, self.options
        after = counted_totals()
        requests = sum(tally.statuses.values())
        seconds = sorted(tally.seconds)
        percentiles = (
            statistics.quantiles(seconds, n=100) if len(seconds) > 1 else [0] * 99
        )
        server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
        no_answer = tally.statuses[0]
        new_deadlocks = deadlocks() - deadlocks_before
        logged = log.count("deadlock detected"), log.count("Traceback")
        write = self.stdout.write
        write(
            f"{elapsed:.0f} s, {options['readers']} Leser, {options['editors']} "
            f"Redaktion, {options['ad_managers']} Anzeigenverwaltung, gunicorn mit "
            f"{options['workers']} Workern, {connection.vendor}"
        )
        write(
            f"Anfragen: {requests} ({requests / elapsed:.0f}/s), Leser p50 "
            f"{percentiles[49] * 1000:.0f} ms, p99 {percentiles[98] * 1000:.0f} ms"
        )
        write(f"Status: {dict(sorted(tally.statuses.items()))}")
        write(f"5xx: {server_errors}, ohne Antwort: {no_answer}")
        write(f"Admin: {dict(sorted(tally.admin.items()))}")
        mismatches = []
        for kind in ("view", AdEvent.SERVED, AdEvent.VIEWABLE, AdEvent.CLICK):
            counted = after[kind] - before[kind]
            write(
                f"{kind}: gesendet {tally.sent[kind]}, angenommen "
                f"{tally.accepted[kind]}, gezählt {counted}"
            )
            if counted != tally.accepted[kind]:
                mismatches.append(kind)
        write(
            f"Deadlocks: {new_deadlocks} (PostgreSQL), im Log {logged[0]}; "
            f"Tracebacks im Log: {logged[1]}; hängende Threads: {stuck}"
        )
        problems = [
            message
            for failed, message in (
                (server_errors, "Antworten mit 5xx"),
                (no_answer, "Anfragen ohne Antwort"),
                (new_deadlocks or logged[0], "Deadlocks"),
                (logged[1], "Tracebacks im Server-Log"),
                (stuck, "hängende Threads"),
                (mismatches, f"Zählungen weichen ab: {mismatches}"),
                (not tally.sent[AdEvent.SERVED], "keine Anzeige ausgeliefert"),
                (
                    options["editors"] and not tally.admin["Artikel gesichert"],
                    "kein Artikel gesichert",
                ),
                (
                    options["ad_managers"] and not tally.admin["Kampagne gesichert"],
                    "keine Kampagne gesichert",
                ),
            )
            if failed
        ]
        if problems:
            raise CommandError("; ".join(problems))
        write(
            self.style.SUCCESS("Keine 5xx, keine Deadlocks, jede Zählung angekommen.")
        )
