"""Jobs for the tests: one that fails, one slow enough to be killed in."""

import time
from pathlib import Path

from jobs import job
from jobs.definition import Retries


class Breakdown(Exception):
    pass


@job("Schlägt immer fehl", retries=Retries(attempts=3))
def fail(note):
    raise Breakdown(note)


@job("Langsam und nachweisbar")
def slow(folder, seconds):
    """Notes each start, waits, then notes that it finished; run twice, it
    ends as run once."""
    folder = Path(folder)
    starts = len(list(folder.glob("start-*")))
    (folder / f"start-{starts + 1}").touch()
    time.sleep(seconds)
    (folder / "done").write_text("fertig")
