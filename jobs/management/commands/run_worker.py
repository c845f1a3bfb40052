import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker

from jobs.models import Job, Worker

logger = logging.getLogger("jobs")


class NewsroomWorker(db_worker.Worker):
    """django-tasks-db's worker, plus what operations needs of it: failed
    jobs retried with backoff, and the jobs of a killed worker put back."""

    def run(self):
        beating = threading.Event()
        heart = threading.Thread(target=self.beat, args=[beating], daemon=True)
        self.sign_of_life()
        heart.start()
        try:
            super().run()
        finally:
            beating.set()
            heart.join()
            Worker.objects.filter(worker_id=self.worker_id).delete()

    def beat(self, stopped):
        # Its own thread (and so its own database connection): a job may
        # run longer than a worker may stay silent.
        try:
            while not stopped.wait(settings.JOBS_WORKER_TIMEOUT / 3):
                try:
                    self.sign_of_life()
                    self.requeue_orphans()
                except Exception:
                    # A busy or restarting database: the next beat tries
                    # again; a silent thread would make the worker look dead.
                    logger.exception(
                        "Worker %s: Lebenszeichen fehlgeschlagen", self.worker_id
                    )
                    connection.close()
        finally:
            connection.close()

    def sign_of_life(self):
        Worker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "seen_at": timezone.now(),
            },
        )

    def requeue_orphans(self):
        with transaction.atomic():
            for job in Job.objects.orphaned():
                logger.warning(
                    "Aufgabe %s: Worker verschwunden, neu eingereiht", job.pk
                )
                job.requeue()
            Worker.objects.dead().delete()

    def run_task(self, db_task_result):
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            job = Job.objects.get(pk=db_task_result.pk)
            if job.retry_later():
                logger.warning(
                    "Aufgabe %s (%s) fehlgeschlagen, neuer Versuch ab %s",
                    job.pk,
                    job.task_name,
                    timezone.localtime(job.run_after),
                )


class Command(db_worker.Command):
    help = (
        "Führt die Hintergrundaufgaben aus (Bildgrößen, Suchindex, Empfehlungen "
        "…); läuft, bis er mit Strg+C oder SIGTERM beendet wird."
    )

    def handle(self, *, verbosity, interval, batch, max_tasks, worker_id, **options):
        self.configure_logging(verbosity)
        queues = options["queue_name"].split(",")
        self.stdout.write(
            f"Worker {worker_id} auf {socket.gethostname()} (PID {os.getpid()})"
        )
        worker = NewsroomWorker(
            queue_names=queues,
            interval=interval,
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if options["reload"] and not batch:
            # Development (make run): new code, new worker, like runserver.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
