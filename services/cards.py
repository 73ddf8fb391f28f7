"""The catalogue's service cards, rendered once and then taken from the cache until the service
changes: rendering twenty cards was most of the list page's time.

A card's key names the service and its last change (Service.updated_at, which every save moves),
and a digest of what the card shows from elsewhere: its directorate's and districts' names (they
have no updated_at of their own) and its bid status, which moves with the date. So an edit, a
renamed directorate or a bid window opening overnight each make a new key, and old cards are
never read again; they expire. A card holds nothing of the request or the reader, so one copy
serves everyone."""

import hashlib
import logging

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

from services.bid_window import BidStatus
from services.models import Service

logger = logging.getLogger(__name__)

TEMPLATE = "services/_service_card.html"
CACHE_SECONDS = 24 * 60 * 60  # a card's key changes with its date at midnight anyway


def card_key(service: Service, status: BidStatus) -> str:
    """Needs the service's directorate and districts loaded (select_related, prefetch_related)."""
    shown_from_elsewhere = "\x1f".join(
        [service.directorate.name, *(d.name for d in service.districts.all()), repr(status)]
    )
    digest = hashlib.blake2b(shown_from_elsewhere.encode(), digest_size=16).hexdigest()
    return f"services:card:{service.pk}:{service.updated_at.isoformat()}:{digest}"


def cards(results: list[tuple[Service, BidStatus]]) -> list[SafeString]:
    """The HTML of each (service, status) card, in order: one cache round trip for them all,
    and one more to store those that had to be rendered. With the cache down, every card is
    rendered, as before caching."""
    keys = [card_key(service, status) for service, status in results]
    try:
        cached = cache.get_many(keys)
    except RedisError:
        logger.warning("Catalogue cards rendered without the cache: it is unreachable")
        cached = None
    html, rendered = [], {}
    for key, (service, status) in zip(keys, results, strict=True):
        card = cached.get(key) if cached is not None else None
        if card is None:
            context = {"service": service, "status": status}
            card = rendered[key] = render_to_string(TEMPLATE, context)
        html.append(mark_safe(card))  # noqa: S308 - our own template's output, escaped there
    if rendered and cached is not None:
        try:
            cache.set_many(rendered, timeout=CACHE_SECONDS)
        except RedisError:
            logger.warning("Catalogue cards not cached: the cache is unreachable")
    return html
