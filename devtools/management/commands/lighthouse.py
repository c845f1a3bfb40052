"""Lighthouse's four scores (mobile) for the home page and an article page
with ads (``make lighthouse``).

Serves the current database with gunicorn as `make serve` does, and runs
Lighthouse from npm (`make validators`, pinned in devtools/npm) against
Debian's chromium. Slow (about half a minute a page), so not in the tests.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article

from .bench_http import DEPLOY, Server, wait_for

LIGHTHOUSE = Path(settings.BASE_DIR) / ".cache/npm/node_modules/lighthouse/cli/index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
# Printed beside the scores: what a performance score below 100 comes from.
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
}


class Command(BaseCommand):
    help = "Lighthouse (mobil) für die Startseite und eine Artikelseite mit Anzeigen."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8091)

    def handle(self, *args, port, **options):
        if not LIGHTHOUSE.exists():
            raise CommandError(f"{LIGHTHOUSE} fehlt: bitte `make validators`.")
        article = (
            Article.objects.published().filter(is_ad_free=False).for_cards().first()
        )
        if article is None:
            raise CommandError("Kein Artikel: bitte erst `make demo`.")
        server = Server(
            [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
            env={
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "2",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            },
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/")
            for name, path in (
                ("Startseite", "/"),
                ("Artikel mit Anzeigen", article.get_absolute_url()),
            ):
                scores, metrics = self.scores(f"{base}{path}")
                self.stdout.write(
                    f"{name} ({path}): "
                    + ", ".join(f"{key} {value}" for key, value in scores.items())
                    + " ("
                    + ", ".join(f"{key} {value}" for key, value in metrics.items())
                    + ")"
                )
        finally:
            server.stop()

    def scores(self, url):
        run = subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                "--output=json",
                "--output-path=stdout",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            env={"CHROME_PATH": "/usr/bin/chromium", **os.environ},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if run.returncode:
            raise CommandError(f"Lighthouse ist gescheitert: {run.stderr[-2000:]}")
        report = json.loads(run.stdout)
        scores = {
            key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES
        }
        metrics = {
            label: report["audits"][audit]["displayValue"]
            for audit, label in METRICS.items()
        }
        return scores, metrics
