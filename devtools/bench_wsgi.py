"""WSGI entry for `make bench`: the site plus its yardsticks
(devtools.bench_site), under the project's settings and middleware."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
settings.ROOT_URLCONF = "devtools.bench_site"
application = get_wsgi_application()
