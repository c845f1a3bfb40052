"""Where the server's time goes on one page (issue 16), by cProfile.

Sends `--requests` reader requests (no cookies) for one address through
the WSGI application `make bench` serves (devtools.bench_wsgi: the site and
its yardsticks, the whole MIDDLEWARE), after one request that warms every
cache a reader's request finds warm. Prints the CPU time per request,
then the same requests under cProfile and the functions that took the most
time, with their share of the whole:

    manage.py profile_page                     # the article, from the page cache
    manage.py profile_page /__messung/boden/   # the framework floor
    manage.py profile_page --shared-copy       # as nginx's micro-cache asks
    manage.py profile_page --miss              # rendered: a new address each time

No network and no web server: the figures are the application's own work.
"""

import cProfile
import io
import pstats
import sys
import time
from itertools import count, repeat

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article


def environ(path, shared_copy):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **({"HTTP_X_NEWSROOM_SHARED_COPY": "1"} if shared_copy else {}),
    }


class Command(BaseCommand):
    help = (
        "Profiliert eine Leserseite (ohne Cookies) durch die ganze WSGI-"
        "Anwendung von make bench und zeigt, wo die Zeit bleibt."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Standard: der Artikel")
        parser.add_argument("--requests", type=int, default=2000)
        parser.add_argument("--top", type=int, default=30)
        parser.add_argument(
            "--sort", choices=("tottime", "cumulative"), default="tottime"
        )
        parser.add_argument(
            "--shared-copy",
            action="store_true",
            help="mit X-Newsroom-Shared-Copy, wie nginx fragt",
        )
        parser.add_argument(
            "--miss",
            action="store_true",
            help="jede Anfrage mit neuem Parameter, wie make bench einen "
            "Cache-Fehlgriff erzeugt: die Seite wird gerendert, nicht gespeichert",
        )

    def handle(self, *args, path, requests, top, sort, shared_copy, miss, **options):
        from devtools.bench_wsgi import application

        if path is None:
            article = Article.objects.published().select_related("section").first()
            if article is None:
                raise CommandError("Keine Artikel: erst 'make demo' ausführen.")
            path = article.get_absolute_url()
        statuses = []
        # As bench_http's wrk script: a parameter no page reads, new each
        # time, so that every request is rendered and none is kept.
        addresses = (
            (f"{path}{'&' if '?' in path else '?'}neu={number}" for number in count())
            if miss
            else repeat(path)
        )

        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        def one_request():
            body = application(environ(next(addresses), shared_copy), start_response)
            b"".join(body)
            body.close()

        one_request()  # fills the page cache and every per-process cache
        if not statuses[-1].startswith("200"):
            raise CommandError(f"{path} antwortet mit {statuses[-1]}.")
        label = f"{path} (Cache-Fehlgriff)" if miss else path
        # CPU time, not the clock: other programs on the machine don't count.
        started = time.process_time()
        for _ in range(requests):
            one_request()
        cpu = time.process_time() - started
        self.stdout.write(
            f"{label}: {1000 * cpu / requests:.3f} ms CPU je Anfrage ohne Profiler"
        )
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(requests):
            one_request()
        profile.disable()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{label}: {requests} Anfragen, {1000 * elapsed / requests:.3f} ms je "
            "Anfrage unter cProfile (nur als Verhältnis aussagekräftig)\n"
        )
        stats = pstats.Stats(profile, stream=self.stdout)
        total = stats.total_tt
        self.stdout.write(f"{'Anteil':>7}{'kumuliert':>11}  Funktion")
        entries = sorted(
            stats.stats.items(),
            key=lambda item: item[1][2 if sort == "tottime" else 3],
            reverse=True,
        )
        for (filename, line, name), (_, _, own, cumulative, _) in entries[:top]:
            self.stdout.write(
                f"{own / total:>7.1%}{cumulative / total:>11.1%}  "
                f"{name} ({short(filename)}:{line})"
            )


def short(filename):
    """A file's name from the project or site-packages on, not its full path."""
    for marker in ("site-packages/", "/work/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
