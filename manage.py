#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Commands run from a checkout (makemigrations, migrate, shell) may use
    # make's local .secret_key; the served site (newsroom.wsgi, gunicorn)
    # never does without DJANGO_SECRET_KEY or an explicit opt-in.
    os.environ.setdefault("DJANGO_ALLOW_LOCAL_SECRET_KEY", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
