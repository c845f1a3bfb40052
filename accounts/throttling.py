"""Hooks for django-axes, which throttles sign-ins (settings: AXES_*).

The address a sign-in came from is counting.rules.client_ip, as for every
per-address limit.
"""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets instead of the login form."""
    context = {
        **admin.site.each_context(request),
        "title": "Anmeldung gesperrt",
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)
