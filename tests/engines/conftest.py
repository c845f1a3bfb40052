"""The engines a multi-server site runs on, each a fixture.

`server_env` is what every app server and worker is started with;
each engine is one more fixture that starts its program and adds its
variables there, the way `edge_address` adds the purge address and
`object_store` the S3 bucket. `engines` hands a test the running site:
two gunicorn app servers on the test's PostgreSQL database, one Redis
they share, Varnish in front, media in the object store (each server with
an empty media folder of its own, no shared disk), and two workers as in
production: one for edge purges, one for the other jobs. The engines are
started once for the whole run (each start costs seconds); `engines`
starts a worker again that a test killed.

They run with `make test-engines` (NEWSROOM_ENGINE_TESTS=1), which installs
Varnish; without it they are skipped, and with it a missing engine fails.
"""

import os
import shutil
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings

from devtools.objectstore import ObjectStore
from jobs.models import Job
from pagecache import edge
from pagecache.dependencies import ALL_PAGES
from pagecache.models import ContentVersion
from tests.job_backends import IN_THE_DATABASE

from . import processes
from .reading import wait_for

REQUIRED = os.environ.get("NEWSROOM_ENGINE_TESTS") == "1"
REDIS_URL = os.environ.get("NEWSROOM_ENGINES_REDIS_URL", "redis://127.0.0.1:6379/12")
# Seconds after which a silent worker is taken for dead (production: 30).
WORKER_SILENCE = 2


def missing(reason):
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def engine_tests_wanted():
    if not REQUIRED:
        pytest.skip("Nur mit `make test-engines` (NEWSROOM_ENGINE_TESTS=1)")


@pytest.fixture(scope="session")
def run_dir():
    # Varnish compiles its configuration as an unprivileged user, who must
    # read it here (pytest's own temporary folders are the owner's only).
    folder = Path(tempfile.mkdtemp(prefix="newsroom-engines-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(django_db_setup, django_db_blocker):
    """The test database, which the app servers share with the test."""
    if connection.vendor != "postgresql":
        missing("Mehrere App-Server brauchen PostgreSQL (DATABASE_URL=postgres://…)")
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="session")
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        missing(f"Redis unter {REDIS_URL} antwortet nicht")
    return REDIS_URL


@pytest.fixture(scope="session")
def edge_address():
    if not shutil.which("varnishd"):
        missing("varnishd fehlt (make varnish)")
    return f"http://127.0.0.1:{processes.free_port()}"


@pytest.fixture(scope="session")
def object_store(run_dir):
    with ObjectStore(run_dir / "s3") as store:
        yield store


@pytest.fixture(scope="session")
def server_env(database_url, redis_url, edge_address, object_store):
    return {
        **os.environ,
        **object_store.environ(),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_DEVTOOLS": "0",
        "DJANGO_VARNISH_PURGE_URLS": edge_address,
        # A killed worker's job runs again after this much silence.
        "DJANGO_JOBS_WORKER_TIMEOUT": str(WORKER_SILENCE),
    }


def own_media(run_dir, name):
    """An empty media folder for one process: nothing is shared on disk."""
    folder = run_dir / name / "media"
    folder.mkdir(parents=True)
    return {"DJANGO_MEDIA_ROOT": str(folder)}


@pytest.fixture(scope="session")
def app_servers(server_env, run_dir):
    servers = [
        processes.gunicorn(
            name,
            processes.free_port(),
            {**server_env, **own_media(run_dir, name)},
            run_dir,
        )
        for name in ("app-a", "app-b")
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def varnish(app_servers, edge_address, run_dir):
    port = urllib.parse.urlsplit(edge_address).port
    app_ports = [urllib.parse.urlsplit(server.ready_url).port for server in app_servers]
    process = processes.varnish(port, app_ports, run_dir)
    try:
        yield process.start()
    finally:
        process.stop()


def start_worker(name, queue, interval, server_env, run_dir):
    env = {**server_env, **own_media(run_dir, name)}
    process = processes.worker(name, queue, interval, env, run_dir)
    try:
        yield process.start()
    finally:
        process.stop()


@pytest.fixture(scope="session")
def worker(server_env, run_dir):
    """The worker for pictures, the search index and the other jobs; a test
    may kill it and start it again."""
    yield from start_worker("worker", "default", 0.1, server_env, run_dir)


@pytest.fixture(scope="session")
def edge_worker(server_env, run_dir):
    """The worker for edge purges, asking as often as production's does
    (deploy/newsroom-edge-worker.service)."""
    yield from start_worker("edge-worker", "edge", 0.2, server_env, run_dir)


@dataclass
class Site:
    edge: str
    servers: list
    media_roots: list


@pytest.fixture
def engines(
    transactional_db,
    app_servers,
    varnish,
    worker,
    edge_worker,
    object_store,
    edge_address,
    redis_url,
    run_dir,
):
    """The running site, with nothing kept from the last test.

    Each test's database starts again at content version 0, and the app
    servers keep shared page parts per version in their processes: a
    version number no earlier test used keeps those from coming back.
    The test's own saves go where an app server's go: jobs to the worker,
    media to the object store.
    """
    for process in (worker, edge_worker):
        if not process.running:
            process.start()
    redis.Redis.from_url(redis_url).flushdb()
    object_store.empty_bucket()
    ContentVersion.objects.raise_to(int(time.time() * 1000))
    with override_settings(VARNISH_PURGE_URLS=[edge_address]):
        edge.purge([ALL_PAGES])
    storages = {**settings.STORAGES, "default": object_store.storage()}
    with override_settings(TASKS=IN_THE_DATABASE, STORAGES=storages):
        yield Site(
            edge=edge_address,
            servers=[
                server.ready_url.removesuffix("/robots.txt") for server in app_servers
            ],
            media_roots=[
                run_dir / name / "media"
                for name in ("app-a", "app-b", "worker", "edge-worker")
            ],
        )
        # The test's tables are emptied next: a worker whose job row goes
        # away under it stops.
        wait_for(lambda: not (Job.objects.ready() | Job.objects.running()).exists())
