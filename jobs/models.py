"""The queue as the newsroom sees it, and the workers that run it.

Jobs are django-tasks-db's rows (`DBTaskResult`); `Job` is the same table
under German names with the questions operations asks of it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import models
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from .definition import retries_of


class JobQuerySet(DBTaskResultQuerySet):
    def pending(self):
        """Jobs waiting for a worker, including retries not yet due."""
        return self.filter(status=TaskResultStatus.READY)

    def failed_for_good(self):
        """Jobs that failed on their last allowed attempt."""
        return self.filter(status=TaskResultStatus.FAILED)

    def retry_now(self):
        """Failed jobs back in the queue with all their attempts; the count."""
        return self.failed_for_good().update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            finished_at=None,
            worker_ids=[],
        )

    def orphaned(self):
        """Running jobs whose worker has stopped sending signs of life: it
        was killed, or its machine went away."""
        alive = set(Worker.objects.alive().values_list("worker_id", flat=True))
        return [job for job in self.running() if job.worker_ids[-1] not in alive]


class Job(DBTaskResult):
    objects = JobQuerySet.as_manager()

    class Meta:
        proxy = True
        permissions = [("retry_job", "Kann fehlgeschlagene Aufgaben neu starten")]
        verbose_name = "Hintergrundaufgabe"
        verbose_name_plural = "Hintergrundaufgaben"

    def __str__(self):
        return f"{self.task_name} ({self.get_status_display()})"

    @property
    def attempts(self):
        return len(self.worker_ids)

    def retry_later(self):
        """Back in the queue after the job's wait, if it has attempts left.

        The last error stays on the row, so the admin shows why it waits.
        """
        try:
            retries = retries_of(self.task)
        except (ImportError, SuspiciousOperation):
            # Its code is gone: another run would fail the same way.
            return False
        if self.attempts >= retries.attempts:
            return False
        self.status = TaskResultStatus.READY
        self.run_after = timezone.now() + retries.wait_after(self.attempts)
        self.finished_at = None
        self.save(update_fields=["status", "run_after", "finished_at"])
        return True

    def requeue(self):
        """Back in the queue at once: its worker died before it finished.

        Only if no other worker has put it back and started it since.
        """
        Job.objects.filter(
            pk=self.pk, status=TaskResultStatus.RUNNING, started_at=self.started_at
        ).update(status=TaskResultStatus.READY)


class WorkerQuerySet(models.QuerySet):
    def alive(self):
        """Workers heard from within JOBS_WORKER_TIMEOUT seconds."""
        return self.filter(seen_at__gte=self._last_sign_expected())

    def dead(self):
        return self.filter(seen_at__lt=self._last_sign_expected())

    def _last_sign_expected(self):
        return timezone.now() - timedelta(seconds=settings.JOBS_WORKER_TIMEOUT)


class Worker(models.Model):
    """A running `manage.py run_worker` process, by its latest sign of life."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField("Rechner", max_length=255)
    pid = models.PositiveIntegerField("Prozess")
    started_at = models.DateTimeField("Gestartet", auto_now_add=True)
    seen_at = models.DateTimeField("Zuletzt gemeldet")

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = "Worker"
        verbose_name_plural = "Worker"

    def __str__(self):
        return f"{self.host}:{self.pid}"
