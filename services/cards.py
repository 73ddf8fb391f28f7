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


def card_id(service: Service) -> str:
    """What names a service's card but the day: its id, its last change and a digest of its
    directorate's name (needs the directorate loaded: select_related). A cached search keeps
    these (services/catalogue_cache.py), so that its cards are found with no query."""
    directorate = hashlib.blake2b(service.directorate.name.encode(), digest_size=8).hexdigest()
    return f"{service.pk}:{service.updated_at.isoformat()}:{directorate}"


def card_key(service: Service, today: datetime.date) -> str:
    return _key(card_id(service), today)


def _key(card: str, today: datetime.date) -> str:
    return f"services:card:{card}:{today}"


def cards(services: list[Service], today: datetime.date) -> list[SafeString]:
    """The HTML of each service's card, in order: one cache round trip for them all; for those
    not cached, one query for their districts and one more round trip to store them. With the
    cache down, every card is rendered, as before caching."""
    return _cards([card_id(service) for service in services], services, today)


def cards_of(ids: list[str], today: datetime.date) -> list[SafeString]:
    """The cards of these card ids (card_id), in order, as `cards` gives them; the services of
    those not cached are read in one query more. A service gone since is left out."""
    return _cards(ids, None, today)


def _cards(ids, services, today):
    keys = [_key(card, today) for card in ids]
    try:
        cached = cache.get_many(keys)
    except RedisError:
        logger.warning("Catalogue cards rendered without the cache: it is unreachable")
        cached = None
    missing = [key for key in keys if key not in (cached or {})]
    rendered = {}
    if missing:
        if services is None:
            services = _read([int(card.split(":", 1)[0]) for card in ids])
        by_key = {key: s for s in services if (key := _key(card_id(s), today)) in missing}
        prefetch_related_objects(list(by_key.values()), "districts")
        rendered = {
            key: render_to_string(TEMPLATE, {"service": s, "status": bid_status(s, today)})
            for key, s in by_key.items()
        }
    if rendered and cached is not None:
        try:
            cache.set_many(rendered, timeout=CACHE_SECONDS)
        except RedisError:
            logger.warning("Catalogue cards not cached: the cache is unreachable")
    found = {**(cached or {}), **rendered}
    return [mark_safe(found[key]) for key in keys if key in found]  # noqa: S308 - our template's


def _read(pks: list[int]) -> list[Service]:
    return list(
        Service.objects.select_related("directorate").defer("search_document").filter(pk__in=pks)
    )
