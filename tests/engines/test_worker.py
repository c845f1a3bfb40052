"""The site's worker, killed in the middle of a job, loses nothing: started
again, it finds the job under a silent worker and runs it to the end."""

from django_tasks import TaskResultStatus

from jobs.models import Job
from tests.jobs import sample

from .reading import wait_for


def test_a_job_whose_worker_was_killed_completes_after_a_restart(
    engines, worker, edge_worker, run_dir
):
    # Any other worker puts the job back as soon as this one has been
    # silent for a while, and on a busy machine a stall of its heartbeat
    # looks like that before the kill. Alone, the worker that is started
    # again is the one that finds the job. The next test starts the edge
    # worker again.
    edge_worker.stop()
    folder = run_dir / "langsam"
    folder.mkdir()
    job = Job.objects.get(pk=sample.slow.enqueue(str(folder), 2).id)
    wait_for(lambda: (folder / "start-1").exists())

    worker.kill()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING
    assert not (folder / "done").exists()

    worker.start()

    wait_for(lambda: Job.objects.get(pk=job.pk).status == TaskResultStatus.SUCCESSFUL)
    job.refresh_from_db()
    assert job.attempts == 2
    assert sorted(path.name for path in folder.iterdir()) == [
        "done",
        "start-1",
        "start-2",
    ]
