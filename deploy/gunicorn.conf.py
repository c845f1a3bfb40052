"""Gunicorn settings for `make serve`, read from the environment.

GUNICORN_BIND      address to listen on (127.0.0.1:8000)
WEB_CONCURRENCY    worker processes (one per CPU core, plus one)
GUNICORN_THREADS   threads per worker (1: sync workers)
GUNICORN_TIMEOUT   seconds before a stuck worker is restarted (30)
GUNICORN_MAX_REQUESTS  restart a worker after this many requests (0: never)
GUNICORN_ACCESS_LOG    "-" for stdout, or a file; unset: no access log
"""

import multiprocessing
import os

from newsroom.env import env_int

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Measured with `manage.py bench_http --quick --workers N --threads T` on
# the 2-core machine: 3 sync workers served the cached article page with
# the least CPU per request and the most requests per second; 5 (gunicorn's
# "2 per core, plus one") cost about a quarter more CPU per request, and
# threads did not help. One worker more than the cores covers the time a
# worker waits for the database.
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 30)
max_requests = env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")
wsgi_app = "newsroom.wsgi:application"
# Workers load the app after forking, so no database connection is shared.
preload_app = False
