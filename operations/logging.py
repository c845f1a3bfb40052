import logging

from django.db import InterfaceError, OperationalError


class DatabaseOutageInOneLine(logging.Filter):
    """While the database is down every request fails the same way: one
    line each says so, instead of a traceback that buries the log."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, (OperationalError, InterfaceError)):
            reason = str(error).strip().splitlines()[0] if str(error) else ""
            record.msg = f"{record.getMessage()} – Datenbank nicht erreichbar: {reason}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
