"""The site's job queues (settings.TASKS) on the backends tests ask for,
and a worker that runs one job when told."""

from django.conf import settings
from django_tasks.backends.immediate import ImmediateBackend

from jobs.management.commands.run_worker import NewsroomWorker

QUEUES = settings.TASKS["default"]["QUEUES"]
IN_THE_DATABASE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}
}
AT_ONCE = {"default": {"BACKEND": "tests.job_backends.JobsAtOnce", "QUEUES": QUEUES}}


class JobsAtOnce(ImmediateBackend):
    """Every job runs when it is enqueued, a delayed one too: a test sees
    the repeated edge purge at once (its delay is checked against the
    database queue in tests/pagecache/test_edge.py)."""

    supports_defer = True


def a_worker():
    return NewsroomWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="testworker",
        excluded_queue_names=[],
    )


def run_once(job):
    job.claim("testworker")
    a_worker().run_task(job)
    job.refresh_from_db()
    return job
