"""Gunicorn settings for `make serve`, read from the environment.

GUNICORN_BIND      address to listen on (127.0.0.1:8000)
WEB_CONCURRENCY    worker processes (one per CPU core)
GUNICORN_THREADS   threads per worker (1: sync workers)
GUNICORN_TIMEOUT   seconds before a stuck worker is restarted (30)
GUNICORN_MAX_REQUESTS  restart a worker after this many requests (0: never)
GUNICORN_ACCESS_LOG    "-" for stdout, or a file; unset: no access log
"""

import multiprocessing
import os

from newsroom.env import env_int

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Measured with `manage.py bench_http --quick --workers N` on the 2-core
# machine, alternating, three runs each: with PostgreSQL on the same
# machine 2 sync workers (one per core) served 6-13 % more pages from the
# cache a second than 3, at 9-14 % less CPU each, and rendered more; with
# SQLite the two were within the runs' noise. 5 cost about a quarter more
# CPU per request, and threads did not help. Where the
# database runs on another machine a worker's wait for it leaves its core
# idle, and one worker more than the cores may serve more: measure there.
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count())
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 30)
max_requests = env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")
wsgi_app = "newsroom.wsgi:application"
# Workers load the app after forking, so no database connection is shared.
preload_app = False
