"""The server-error page, which tells a database outage apart from a fault.

While PostgreSQL restarts (a deploy, a fail-over) every request that needs it fails with
`OperationalError` or `InterfaceError`. That is not a fault in the portal, and the person can act
on it: wait a moment and try again. So those answer 503 with `Retry-After` and a page that says
so, and that what they typed is not lost if they go back and send it again. Anything else is a
real server error, Django's 500 as before.

The 503 page is rendered without the request's context processors: they read the signed-in
user, which needs the database that has just failed.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def server_error(request):
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request):
    body = loader.render_to_string(
        "503.html",
        {
            "service_name": settings.SERVICE_NAME,
            "phase": settings.PHASE,
            "retry_after": RETRY_AFTER_SECONDS,
            "request": request,  # for the CSP nonce only; `user` stays out
        },
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
