"""What the page-cache tests share: the address readers use, the story
they read, and a clock moved on."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

HOST = "www.newsroom-zeitung.de"
HEADLINE = "Stadtrat streicht die Nachtbuslinie"


def later(**delta):
    """Pretend the clock has moved on."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(**delta)
    )
