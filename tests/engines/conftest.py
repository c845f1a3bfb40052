"""The engines a multi-server site runs on, each a fixture.

`server_env` is what every app server (and, in time, every worker) is
started with; a further engine (an object store, a task queue worker)
is one more fixture that starts its program and adds its variables there,
the way `edge_address` adds the purge address. `engines` hands a test the
running site: two gunicorn app servers on the test's PostgreSQL database,
one Redis they share, Varnish in front.

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

from pagecache import edge
from pagecache.dependencies import ALL_PAGES
from pagecache.models import ContentVersion

from . import processes

REQUIRED = os.environ.get("NEWSROOM_ENGINE_TESTS") == "1"
REDIS_URL = os.environ.get("NEWSROOM_ENGINES_REDIS_URL", "redis://127.0.0.1:6379/12")


def missing(reason):
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def engine_tests_wanted():
    if not REQUIRED:
        pytest.skip("Nur mit `make test-engines` (NEWSROOM_ENGINE_TESTS=1)")


@pytest.fixture(scope="module")
def run_dir():
    # Varnish compiles its configuration as an unprivileged user, who must
    # read it here (pytest's own temporary folders are the owner's only).
    folder = Path(tempfile.mkdtemp(prefix="newsroom-engines-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        missing(f"Redis unter {REDIS_URL} antwortet nicht")
    return REDIS_URL


@pytest.fixture(scope="module")
def edge_address():
    if not shutil.which("varnishd"):
        missing("varnishd fehlt (make varnish)")
    return f"http://127.0.0.1:{processes.free_port()}"


@pytest.fixture(scope="module")
def server_env(database_url, redis_url, edge_address):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_DEVTOOLS": "0",
        "DJANGO_VARNISH_PURGE_URLS": edge_address,
    }


@pytest.fixture(scope="module")
def app_servers(server_env, run_dir):
    servers = [
        processes.gunicorn(name, processes.free_port(), server_env, run_dir)
        for name in ("app-a", "app-b")
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="module")
def varnish(app_servers, edge_address, run_dir):
    port = urllib.parse.urlsplit(edge_address).port
    app_ports = [urllib.parse.urlsplit(server.ready_url).port for server in app_servers]
    process = processes.varnish(port, app_ports, run_dir)
    try:
        yield process.start()
    finally:
        process.stop()


@dataclass
class Site:
    edge: str
    servers: list


@pytest.fixture
def engines(transactional_db, app_servers, varnish, edge_address, redis_url):
    """The running site, with nothing kept from the last test.

    Each test's database starts again at content version 0, and the app
    servers keep shared page parts per version in their processes: a
    version number no earlier test used keeps those from coming back.
    """
    redis.Redis.from_url(redis_url).flushdb()
    ContentVersion.objects.raise_to(int(time.time() * 1000))
    with override_settings(VARNISH_PURGE_URLS=[edge_address]):
        edge.purge([ALL_PAGES])
    yield Site(
        edge=edge_address,
        servers=[
            server.ready_url.removesuffix("/robots.txt") for server in app_servers
        ],
    )
