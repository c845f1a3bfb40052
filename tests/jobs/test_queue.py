"""Jobs wait in the database, fail into a retry with a growing wait, and
come back when their worker dies; the desk sees what waits and what failed."""

from datetime import timedelta
from unittest import mock

from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from articles.jobs import refresh_search_vectors
from jobs.models import Job, Worker
from tests.factories import (
    DESK_EDITOR,
    JOURNALIST,
    make_article,
    make_job,
    make_staff,
)
from tests.job_backends import IN_THE_DATABASE, a_worker, run_once
from tests.jobs import sample


@override_settings(TASKS=IN_THE_DATABASE)
class QueueTests(TestCase):
    def test_a_save_leaves_its_search_terms_to_the_worker(self):
        # The splitter must not be loaded by the process that saves.
        with mock.patch("articles.search_terms._splitter", side_effect=AssertionError):
            article = make_article(headline="Bürgermeisterwahl in Kleinstadt")

        job = Job.objects.pending().get(task_path=refresh_search_vectors.module_path)
        self.assertEqual(job.args_kwargs["args"], [[article.pk]])
        self.assertIsNone(
            type(article).objects.filter(pk=article.pk).get().search_vector
        )

    def test_the_worker_writes_the_search_terms(self):
        article = make_article(headline="Bürgermeisterwahl in Kleinstadt")
        job = Job.objects.pending().get(task_path=refresh_search_vectors.module_path)

        run_once(job)

        self.assertEqual(job.status, TaskResultStatus.SUCCESSFUL)
        article.refresh_from_db()
        self.assertIn("buergermeisterwahl", str(article.search_vector))

    def test_a_rolled_back_save_leaves_no_job(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            make_article()
            raise RuntimeError

        self.assertIs(Job.objects.exists(), False)

    def test_a_failed_job_waits_longer_before_each_new_attempt(self):
        job = Job.objects.get(pk=sample.fail.enqueue("kaputt").id)
        waits = []

        for _ in range(2):
            started = timezone.now()
            run_once(job)
            waits.append(job.run_after - started)

        self.assertEqual(job.status, TaskResultStatus.READY)
        self.assertIn("Breakdown: kaputt", job.traceback)
        self.assertAlmostEqual(waits[0], timedelta(seconds=10), delta=timedelta(1))
        self.assertAlmostEqual(waits[1], timedelta(seconds=20), delta=timedelta(1))
        self.assertNotIn(job, Job.objects.ready())

    def test_a_job_fails_for_good_after_its_last_attempt(self):
        job = Job.objects.get(pk=sample.fail.enqueue("kaputt").id)

        for _ in range(3):
            run_once(job)

        self.assertEqual(job.status, TaskResultStatus.FAILED)
        self.assertQuerySetEqual(Job.objects.failed_for_good(), [job])

    def test_the_job_of_a_dead_worker_goes_back_into_the_queue(self):
        long_ago = timezone.now() - timedelta(minutes=5)
        Worker.objects.create(worker_id="tot", host="a", pid=1, seen_at=long_ago)
        Worker.objects.create(worker_id="lebt", host="b", pid=2, seen_at=timezone.now())
        orphan = make_job(status=TaskResultStatus.RUNNING, worker_ids=["tot"])
        busy = make_job(status=TaskResultStatus.RUNNING, worker_ids=["lebt"])

        a_worker().requeue_orphans()

        orphan.refresh_from_db()
        busy.refresh_from_db()
        self.assertEqual(orphan.status, TaskResultStatus.READY)
        self.assertEqual(busy.status, TaskResultStatus.RUNNING)
        self.assertQuerySetEqual(Worker.objects.all(), ["b:2"], transform=str)


class JobAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.waiting = make_job()
        cls.failed = make_job(
            sample.fail,
            args=["kaputt"],
            status=TaskResultStatus.FAILED,
            worker_ids=["a", "b", "c"],
            exception_class_path="tests.jobs.sample.Breakdown",
        )

    def test_the_desk_sees_waiting_and_failed_jobs(self):
        self.client.force_login(make_staff(DESK_EDITOR))

        response = self.client.get(reverse("admin:jobs_job_changelist"))

        self.assertContains(response, "Suchindex erneuern")
        self.assertContains(response, "Wartet")
        self.assertContains(response, "Schlägt immer fehl")
        self.assertContains(response, "Fehlgeschlagen")
        self.assertContains(response, "Breakdown")

    def test_the_list_warns_when_no_worker_runs(self):
        self.client.force_login(make_staff(DESK_EDITOR))

        response = self.client.get(reverse("admin:jobs_job_changelist"))

        self.assertContains(response, "Kein Worker meldet sich")

    def test_the_list_does_not_warn_while_a_worker_runs(self):
        Worker.objects.create(worker_id="w", host="a", pid=1, seen_at=timezone.now())
        self.client.force_login(make_staff(DESK_EDITOR))

        response = self.client.get(reverse("admin:jobs_job_changelist"))

        self.assertNotContains(response, "Kein Worker meldet sich")

    def test_the_desk_can_start_a_failed_job_again(self):
        self.client.force_login(make_staff(DESK_EDITOR))

        self.client.post(
            reverse("admin:jobs_job_changelist"),
            {"action": "retry_now", "_selected_action": [self.failed.pk]},
        )

        self.failed.refresh_from_db()
        self.assertEqual(self.failed.status, TaskResultStatus.READY)
        self.assertEqual(self.failed.attempts, 0)

    def test_journalists_do_not_see_the_queue(self):
        self.client.force_login(make_staff(JOURNALIST))

        response = self.client.get(reverse("admin:jobs_job_changelist"))

        self.assertEqual(response.status_code, 403)
