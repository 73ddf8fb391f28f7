"""Signed-in sessions that last SESSION_COOKIE_AGE from the last request, not from sign-in.

Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would do it, at the cost of a
database write on every page, asset-free as they are, and on every autosave: on the embedded
SQLite default those writes queue behind each other. Instead the session is renewed when it was
last renewed more than SESSION_REFRESH_SECONDS ago, so someone at work is never signed out, and
a session lasts between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE
after the last request.
"""

import time

from django.conf import settings

RENEWED_AT = "_renewed_at"


def needs_renewal(session, now: float) -> bool:
    renewed_at = session.get(RENEWED_AT, 0)
    return not isinstance(renewed_at, int | float) or now - renewed_at >= (
        settings.SESSION_REFRESH_SECONDS
    )


class SlidingSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        # Only a signed-in session slides: anonymous visitors get no session from this.
        if session is not None and user is not None and user.is_authenticated:
            now = time.time()
            if session.modified or needs_renewal(session, now):
                session[RENEWED_AT] = now  # modified: SessionMiddleware saves it and its cookie
        return response
