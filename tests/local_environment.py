"""Tests run in make's local environment, as `make test` does: the local
.secret_key and the development apps (devtools, demo).

Loaded with -p from pytest.ini, before pytest-django reads the settings, so
that `python -m pytest` works without make too.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_LOCAL_SECRET_KEY", "1")
os.environ.setdefault("DJANGO_DEVTOOLS", "1")
