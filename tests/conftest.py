import shutil
import tempfile

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.job_backends import AT_ONCE


@pytest.fixture(autouse=True, scope="session")
def media_in_a_temporary_folder():
    """Uploads and renditions made by tests never land in the real media folder."""
    folder = tempfile.mkdtemp(prefix="newsroom-media-")
    with override_settings(MEDIA_ROOT=folder):
        yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def jobs_run_at_once():
    """A job runs when it is enqueued, so a test sees its effect right after
    the save that asked for it; tests/jobs starts real workers."""
    with override_settings(TASKS=AT_ONCE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts without cached pages, parts of pages or ad campaigns
    from the last one: pages and parts are kept per content version, whose
    numbers come round again once a test's transaction is rolled back."""
    cache.clear()
