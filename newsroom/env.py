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


# S3 options read from the environment: (variable, option of
# django-storages' S3Storage).
S3_VARIABLES = (
    ("DJANGO_S3_BUCKET", "bucket_name"),
    ("DJANGO_S3_ENDPOINT_URL", "endpoint_url"),
    ("DJANGO_S3_REGION", "region_name"),
    ("DJANGO_S3_ACCESS_KEY_ID", "access_key"),
    ("DJANGO_S3_SECRET_ACCESS_KEY", "secret_key"),
    ("DJANGO_S3_ADDRESSING_STYLE", "addressing_style"),
)


def s3_media_storage(environ, cache_control):
    """The storage for uploads and renditions in an S3 bucket, or None
    without DJANGO_S3_BUCKET.

    Without keys in the environment boto3 finds its own (a machine's role).
    """
    options = {
        option: environ[name]
        for name, option in S3_VARIABLES
        if environ.get(name, "").strip()
    }
    if "bucket_name" not in options:
        return None
    return {
        "BACKEND": "images.storage.MediaStorage",
        "OPTIONS": {
            **options,
            # A second upload of the same name gets a name of its own
            # instead of replacing what pages and caches still show.
            "file_overwrite": False,
            # The bucket's policy decides who reads; links carry no
            # signature, so a page's HTML stays the same for every reader.
            "default_acl": None,
            "querystring_auth": False,
            "object_parameters": {"CacheControl": cache_control},
        },
    }
