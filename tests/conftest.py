import shutil
import tempfile

import pytest
from django.core.cache import cache
from django.test import override_settings

from pagecache.templatetags.pagecache import _parts as shared_parts


@pytest.fixture(autouse=True, scope="session")
def media_in_a_temporary_folder():
    """Uploads and renditions made by tests never land in the real media folder."""
    folder = tempfile.mkdtemp(prefix="newsroom-media-")
    with override_settings(MEDIA_ROOT=folder):
        yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts without cached pages, ad campaigns or shared page
    parts from the last one. A shared part is kept per content version, and
    a test's rollback gives the next test the same version numbers again."""
    cache.clear()
    shared_parts.clear()
