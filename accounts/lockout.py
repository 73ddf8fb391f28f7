"""How django-axes names the account an attempt was for (settings.AXES_USERNAME_CALLABLE).

Addresses are stored lower-case and compared without regard to case, so the lockout counts them
the same way on every form that signs in: the portal's own form lower-cases what was typed, but the
admin's (/admin/login/) does not, and "Officer@kent.gov.uk" must not buy five more guesses there.
"""

from django.conf import settings


def username(request, credentials=None) -> str | None:
    source = credentials if credentials else getattr(request, "data", None) or request.POST
    typed = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return typed.strip().lower() if isinstance(typed, str) else typed
