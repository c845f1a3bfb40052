"""Hooks for django-axes, which throttles sign-ins (settings: AXES_*)."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def client_ip(request):
    """The address a sign-in came from.

    Behind our own proxy every request comes from the proxy, which appends
    the address it saw to X-Forwarded-For: the last entry is the one a
    client cannot forge. Anywhere else the header is not trusted at all.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets instead of the login form."""
    context = {
        **admin.site.each_context(request),
        "title": "Anmeldung gesperrt",
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)
