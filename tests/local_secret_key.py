"""Tests run on make's local .secret_key, as `make test` does.

Loaded with -p from pytest.ini, before pytest-django reads the settings, so
that `python -m pytest` works without make too.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_LOCAL_SECRET_KEY", "1")
