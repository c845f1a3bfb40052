"""How a job is declared, and how often it is tried again when it fails."""

from dataclasses import dataclass
from datetime import timedelta

from django_tasks import task


@dataclass(frozen=True)
class Retries:
    """A failed job runs again after `first_wait`, doubling each time, up
    to `attempts` runs in all; then it stays failed for the admin to see."""

    attempts: int = 5
    first_wait: timedelta = timedelta(seconds=10)
    longest_wait: timedelta = timedelta(hours=1)

    def wait_after(self, attempt):
        """How long to wait before the run after run number `attempt`."""
        return min(self.first_wait * 2 ** (attempt - 1), self.longest_wait)


def job(title, *, retries=Retries(), queue="default"):
    """Make the decorated function a job, named `title` in the admin.

    `queue` is one of settings.TASKS' QUEUES; a queue other than "default"
    has a worker of its own (deploy/), so that its jobs never wait behind
    a long one of another kind.

    `function.enqueue(*args)` stores it for the worker; the row is written
    in the current transaction, so the worker sees the job when the change
    that asked for it commits, and never if it is rolled back.

    A job may run more than once (a retry, a worker killed half-way), so it
    must be idempotent: it reads the rows it works on when it runs, by
    primary key, and writes what they call for. Its arguments are JSON.
    """

    def declare(function):
        function.title = title
        function.retries = retries
        return task(function, queue_name=queue)

    return declare


def retries_of(task_object):
    return getattr(task_object.func, "retries", Retries())


def title_of(task_object):
    return getattr(task_object.func, "title", task_object.name)
