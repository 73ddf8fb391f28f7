"""The catalogue's service cards, rendered once and then taken from the cache until the service
changes: rendering twenty cards was most of the list page's time.

A card's key names the service, its last change (Service.updated_at: every save moves it, and
so does a change of its districts, see services/receivers.py), the day (its bid status moves
with the date) and a digest of its directorate's name, which has no updated_at of its own. So
an edit, a renamed directorate or a bid window opening overnight each make a new key, old cards
are never read again, and they expire. On a page whose cards are all cached, neither the
districts nor the bid statuses are read. A card holds nothing of the request or the reader, so
one copy serves everyone."""

import datetime
import hashlib
import logging

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

from services.bid_window import bid_status
from services.models import Service

logger = logging.getLogger(__name__)

TEMPLATE = "services/_service_card.html"
CACHE_SECONDS = 24 * 60 * 60  # a card's key changes with the date at midnight anyway


def card_key(service: Service, today: datetime.date) -> str:
    """Needs the service's directorate loaded (select_related)."""
    directorate = hashlib.blake2b(service.directorate.name.encode(), digest_size=8).hexdigest()
    return f"services:card:{service.pk}:{service.updated_at.isoformat()}:{today}:{directorate}"


def cards(services: list[Service], today: datetime.date) -> list[SafeString]:
    """The HTML of each service's card, in order: one cache round trip for them all; for those
    not cached, one query for their districts and one more round trip to store them. With the
    cache down, every card is rendered, as before caching."""
    keys = [card_key(service, today) for service in services]
    try:
        cached = cache.get_many(keys)
    except RedisError:
        logger.warning("Catalogue cards rendered without the cache: it is unreachable")
        cached = None
    missing = [s for s, key in zip(services, keys, strict=True) if key not in (cached or {})]
    prefetch_related_objects(missing, "districts")
    rendered = {
        key: render_to_string(TEMPLATE, {"service": s, "status": bid_status(s, today)})
        for s, key in zip(services, keys, strict=True)
        if key not in (cached or {})
    }
    if rendered and cached is not None:
        try:
            cache.set_many(rendered, timeout=CACHE_SECONDS)
        except RedisError:
            logger.warning("Catalogue cards not cached: the cache is unreachable")
    found = {**(cached or {}), **rendered}
    return [mark_safe(found[key]) for key in keys]  # noqa: S308 - our template's output
