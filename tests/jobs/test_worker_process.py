"""A real worker process killed in the middle of a job loses nothing.

The job stays marked as running under the dead worker; once the worker has
been silent for DJANGO_JOBS_WORKER_TIMEOUT seconds, the restarted worker
puts it back in the queue and runs it to the end.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django_tasks import TaskResultStatus

from jobs.models import Job
from tests.job_backends import IN_THE_DATABASE
from tests.jobs import sample

SILENCE = 2  # seconds; production waits 30


def database_url():
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"nach {seconds} s nicht eingetreten")
        time.sleep(0.1)


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "A worker process needs a database server (DATABASE_URL=postgres://…)",
)
@override_settings(TASKS=IN_THE_DATABASE)
class KilledWorkerTests(TransactionTestCase):
    # Empties the tables afterwards without making content types anew (on
    # PostgreSQL they would get new ids, and the next test that restores
    # the migrated data would meet them twice).
    serialized_rollback = True

    def start_worker(self):
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_JOBS_WORKER_TIMEOUT": str(SILENCE),
        }
        environment.pop("DATABASE_REPLICA_URL", None)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval=0.1"]
            + ["--no-startup-delay", "--no-reload", "-v0"],
            cwd=settings.BASE_DIR,
            env=environment,
        )
        self.addCleanup(worker.wait)
        self.addCleanup(worker.kill)
        return worker

    def test_a_job_killed_half_way_completes_after_a_restart(self):
        folder = Path(tempfile.mkdtemp(prefix="newsroom-job-"))
        job = Job.objects.get(pk=sample.slow.enqueue(str(folder), 3).id)
        first = self.start_worker()
        wait_for(lambda: (folder / "start-1").exists())

        first.send_signal(signal.SIGKILL)
        first.wait()
        job.refresh_from_db()
        self.assertEqual(job.status, TaskResultStatus.RUNNING)
        self.assertFalse((folder / "done").exists())

        self.start_worker()
        wait_for(lambda: (folder / "done").exists())
        wait_for(lambda: Job.objects.get(pk=job.pk).status != TaskResultStatus.RUNNING)

        job.refresh_from_db()
        self.assertEqual(job.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(job.attempts, 2)
        self.assertEqual(
            sorted(p.name for p in folder.iterdir()), ["done", "start-1", "start-2"]
        )
