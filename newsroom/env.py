"""Reading settings from environment variables, for newsroom.settings and
deploy/gunicorn.conf.py (which must not load Django's settings)."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    """A whole number; a typo stops the start with the variable's name."""
    return _env_number(name, default, int, "eine ganze Zahl")


def env_float(name, default):
    """A number, with a decimal point if need be ("1.5")."""
    return _env_number(name, default, float, "eine Zahl")


def _env_number(name, default, convert, kind):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return convert(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} muss {kind} sein, nicht „{value}“."
        ) from None
