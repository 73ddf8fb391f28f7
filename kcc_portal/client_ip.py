"""The address a request came from, as django-axes (the sign-in lockout) and the rate limits see it.

Both lock or count by address, so both must agree on it and neither may be fooled. Without a
proxy it is REMOTE_ADDR. Behind one (BEHIND_PROXY), REMOTE_ADDR is the proxy's own address, the
same for everyone, so the client's is read from X-Forwarded-For: each proxy appends the address it
received the request from, so of that list only the last PROXY_COUNT entries were written by our
own proxies and everything before them is whatever the client chose to send. The entry written by
the outermost proxy, PROXY_COUNT from the end, is the client's address; taking the first entry
instead would let anyone pick their own address and walk round every lock.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    count = max(settings.PROXY_COUNT, 1)
    if len(hops) < count:
        # The proxies did not all add themselves: trust nothing in the header.
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
