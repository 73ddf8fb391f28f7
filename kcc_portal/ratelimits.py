"""Rate limits on the forms that can be guessed or flooded, and the one way a limited request is
answered.

django-ratelimit does the counting, in the cache (Redis with REDIS_URL, so every web process shares
the counts). Each limit below names the setting that holds its rate and who it counts: the
signed-in user, the client's address (kcc_portal/client_ip.py) or the email address posted. A
request over any one of its counts gets a 429: a GOV.UK page saying what happened and when to try
again, or, for the page's own scripts (autosave), JSON with the same message. Blocked requests
count too, so hammering does not shorten the wait.

Sign-in itself is limited by django-axes (a lockout of the account from one address), not here.
"""

import logging
import math
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def posted_email(group, request) -> str:
    """The email address posted, as stored: "Bea@X.org " and "bea@x.org" are counted as one."""
    return request.POST.get("email", "").strip().lower()


USER = ("user", "user")  # django-ratelimit's own key: the signed-in user's id
IP = ("address", "ip")  # django-ratelimit's own key: RATELIMIT_IP_META_KEY, our client_ip()
EMAIL = ("email", posted_email)


@dataclass(frozen=True)
class Limit:
    setting: str  # the setting holding the rate, "count/period"
    keys: tuple  # (label, django-ratelimit key) pairs, each counted on its own
    what: str  # what happened too often, in a sentence
    then: str = "You can try again in {wait}."  # what to do now; {wait} is filled in
    json: bool = False  # answered to the page's script, not to a person


LIMITS = {
    "join-organisation": Limit(
        "RATE_LIMIT_JOIN_ORGANISATION",
        (USER, IP),
        "Too many joining codes have been tried from your account or your network.",
    ),
    "password-reset": Limit(
        "RATE_LIMIT_PASSWORD_RESET",
        (IP, EMAIL),
        "Too many password reset links have been asked for, for this email address or from "
        "your network.",
    ),
    "sign-up": Limit(
        "RATE_LIMIT_SIGN_UP",
        (IP, EMAIL),
        "Too many accounts have been asked for, with this email address or from your network.",
    ),
    "confirmation-email": Limit(
        "RATE_LIMIT_CONFIRMATION_EMAIL",
        (IP, EMAIL),
        "Too many confirmation emails have been asked for, for this email address or from "
        "your network.",
    ),
    "upload": Limit(
        "RATE_LIMIT_UPLOAD",
        (USER,),
        "You have uploaded too many files in a short time. The files you have already "
        "uploaded are safe.",
    ),
    "autosave": Limit(
        "RATE_LIMIT_AUTOSAVE",
        (USER,),
        "Your answers were not saved just now: they have been saved too many times in a short "
        "time.",
        then="They are still on this page and will be saved automatically in {wait}, or press "
        "\N{LEFT DOUBLE QUOTATION MARK}Save and come back later\N{RIGHT DOUBLE QUOTATION MARK} "
        "to save them now.",
        json=True,
    ),
}


def limit(name: str, *, methods: tuple[str, ...] = ("POST",)):
    """Decorates a view (or, with method_decorator, a view method): requests by `methods` are
    counted against LIMITS[name], and once over it are answered with a 429 instead of the view.
    Put it inside login_required, so that a user's count is never an anonymous one."""
    spec = LIMITS[name]

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                wait = seconds_to_wait(request, name=name, spec=spec)
                if wait is not None:
                    return too_many_requests(request, spec=spec, wait=wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def seconds_to_wait(request, *, name: str, spec: Limit) -> int | None:
    """Counts this request against each of the limit's keys; None if it is within all of them,
    else how long until the longest-blocked count starts again."""
    rate = getattr(settings, spec.setting)
    waits = {}
    for label, key in spec.keys:
        try:
            usage = get_usage(request, group=f"{name}:{label}", key=key, rate=rate, increment=True)
        except RedisError:
            # The cache is down: let the request through, as every other use of the cache here
            # does, rather than refuse every form on the site. /healthz reports the outage.
            logger.warning("Rate limit %s not checked: the cache is unreachable", name)
            return None
        if usage is not None and usage["should_limit"]:
            waits[label] = max(usage["time_left"], 1)
    if not waits:
        return None
    logger.warning("Rate limit %s reached, counted by %s", name, " and ".join(waits))
    return max(waits.values())


def in_words(seconds: int) -> str:
    """A wait in whole minutes, or hours from an hour up, rounded up: "1 minute", "2 hours"."""
    minutes = max(math.ceil(seconds / 60), 1)
    if minutes >= 60:
        hours = math.ceil(minutes / 60)
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def too_many_requests(request, *, spec: Limit, wait: int):
    """The 429: JSON for a script (it shows `error` where it shows its other failures), else
    templates/429.html. Retry-After says the same wait in seconds."""
    then = spec.then.format(wait=in_words(wait))
    if spec.json or request.headers.get("Accept") == "application/json":
        response = JsonResponse({"error": f"{spec.what} {then}", "retry_after": wait}, status=429)
    else:
        response = render(request, "429.html", {"what": spec.what, "then": then}, status=429)
    response["Retry-After"] = str(wait)
    return response
