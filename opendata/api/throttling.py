from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from kcc_portal.client_ip import client_ip


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous clients, counted per address in the Django cache (Redis in production) at
    API_ANON_RATE; signed-in officers are not counted. The address is the one the sign-in lockout
    and the forms' rate limits use (kcc_portal.client_ip): behind our proxy a client can neither
    choose its own by sending X-Forwarded-For nor share the proxy's one address with everyone."""

    def get_rate(self):
        # Read on every request (DRF's own reads its setting once, at import).
        return settings.API_ANON_RATE

    def get_ident(self, request):
        return client_ip(request)
