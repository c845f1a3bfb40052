import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

# Long enough for a database restart or a failover, short enough that a
# reader who reloads soon gets the page.
RETRY_AFTER_SECONDS = 15


def server_error(request):
    """The 500 page, or the 503 page while the database cannot be reached.

    An error handler rather than a middleware: Django turns an exception into
    a response at every middleware layer, so a middleware would never see the
    errors raised by the ones below it (the page cache and the ads it fills
    in read the database before any view runs). This handler sees them all.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request):
    # Rendered without the request: no context processor, no navigation,
    # nothing that would ask the database that is gone.
    content = render_to_string(
        "503.html", {"was_saving": request.method not in ("GET", "HEAD")}
    )
    return HttpResponse(
        content,
        status=503,
        headers={
            "Retry-After": str(RETRY_AFTER_SECONDS),
            "Cache-Control": "no-store",
        },
    )
