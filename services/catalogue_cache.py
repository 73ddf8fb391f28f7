"""The catalogue's list pages and filter choices, cached whole and kept fresh by a version.

The catalogue's version is a random token in the cache, replaced whenever a service, directorate
or district is saved or deleted, or a service's districts change (services/receivers.py), once
the change is committed. Cached entries carry the version they were made under and count only
while it is current, so checking freshness is part of the one cache round trip that reads them:
no query. A page is made from data read after its version was read, so it is never older than
its version.

What is cached:
- the directorates and districts (the filter selects' choices, also used to check a choice);
- the body of a list page (filters and results), for a query string with no search: the first
  pages of the catalogue and its filters, which are few and often read;
- a search's result, for a query string with a search: the number of services found and the
  page's cards' ids (services/cards.py), not its HTML, as what people type has no end: about
  1.5 KB a page searched, for PAGE_SECONDS. A search asked again (popular ones are, and so are
  its pages as a reader goes back and forth) is then no query: its cards come from their own
  cache. A search made afresh is two queries (services/search.py, paging.py);
- the filters column but the search box, for each choice of the filters (whatever is searched);
- the page around the body for anonymous visitors (services/chrome.py), for each path.

Never inside a transaction (nor read from the cache there): it may see changes not yet
committed, or about to be rolled back. Only with a cache shared by every process (Redis): a
version replaced in one process's local memory would leave the others' stale. If the cache is
unreachable, pages are made from the database as before. A change made without signals
(`QuerySet.update()`, `bulk_create()`, SQL) must call `changed()` itself, or pages stay as they
were for up to PAGE_SECONDS.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import IntegerField, Value
from redis.exceptions import RedisError

from services.models import Directorate, District

logger = logging.getLogger(__name__)

VERSION_KEY = "services:catalogue:version"
CHOICES_KEY = "services:catalogue:choices"
PAGE_SECONDS = 10 * 60  # bounds how long a change made without signals goes unseen
VERSION_SECONDS = 7 * 24 * 60 * 60  # a version that expires is replaced: all is made afresh

# The query string's names a cached page may have; a search ("q" with words) is never cached.
FILTERS = ["directorate", "portfolio", "district", "budget", "open", "sort"]  # but the search
PAGE_PARAMETERS = {"q", "page", *FILTERS}
OPEN_VALUES = {"", "on", "true", "false"}


class Choices:
    """The directorates and districts, from rows (kind, pk, name, slug): plain tuples are what is
    cached, as they are quick to unpickle on every request; instances are made when needed."""

    def __init__(self, rows: list[tuple[int, int, str, str]]):
        self.rows = rows

    @cached_property
    def directorates(self) -> list[Directorate]:
        return [Directorate(pk=pk, name=n, slug=s) for kind, pk, n, s in self.rows if kind == 0]

    @cached_property
    def districts(self) -> list[District]:
        return [District(pk=pk, name=n, slug=s) for kind, pk, n, s in self.rows if kind == 1]


@dataclass
class Found:
    """What one cache round trip found. `version` is None when nothing may be cached."""

    version: str | None = None
    choices: Choices | None = None
    page: str | None = None
    filters: str | None = None
    chrome: tuple | None = None  # a services.chrome.Shell's parts
    search: "Result | None" = None


@dataclass(frozen=True)
class Result:
    """A page of a search's result: the number of services found, the page's number and its
    cards' ids (services.cards.card_id), which are made under the same version."""

    count: int
    number: int
    cards: tuple[str, ...]

    @classmethod
    def of(cls, entry) -> "Result | None":
        """From an entry as cached (a tuple of two ints and a tuple of strings), or None."""
        if (
            isinstance(entry, tuple)
            and len(entry) == 3
            and all(isinstance(n, int) for n in entry[:2])
            and isinstance(entry[2], tuple)
            and all(isinstance(card, str) for card in entry[2])
        ):
            return cls(*entry)
        return None

    @property
    def entry(self) -> tuple:
        return (self.count, self.number, self.cards)


def changed() -> None:
    """The catalogue changed: once committed, every cached page and choice is out of date."""
    transaction.on_commit(_new_version)


def _new_version() -> None:
    if not _usable():
        return
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=VERSION_SECONDS)
    except RedisError:
        logger.warning("Catalogue version not renewed: the cache is unreachable")


def _usable() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return backend.endswith(".RedisCache") and not connection.in_atomic_block


def page_key(query_string: str, today) -> str:
    return _query_key("page", query_string, today)


def search_key(query_string: str, today) -> str:
    return _query_key("search", query_string, today)


def _query_key(kind: str, query_string: str, today) -> str:
    digest = hashlib.blake2b(query_string.encode(), digest_size=16).hexdigest()
    return f"services:catalogue:{kind}:{today}:{digest}"


def _plain(request) -> bool:
    """Only the catalogue's own names in the query string, each once, and the checkbox's value
    one of a few: so that what is kept under a query string's key is bounded."""
    lists = dict(request.GET.lists())
    return (
        all(len(values) == 1 for values in lists.values())
        and set(lists) <= PAGE_PARAMETERS
        and request.GET.get("open", "") in OPEN_VALUES
    )


def may_cache_page(request) -> bool:
    """Whether the page of this query string may be read from and kept in the cache: a plain
    query string (see _plain) with no search."""
    return _plain(request) and not request.GET.get("q", "").strip()


def may_cache_search(request) -> bool:
    """Whether the result of this query string's search may be read from and kept in the
    cache: a plain query string (see _plain) with a search."""
    return _plain(request) and bool(request.GET.get("q", "").strip())


def filters_key(request) -> str | None:
    """The key of the filters column but the search box, which shows only the filters' values
    (present but empty is not absent: the first option is then marked selected)."""
    if not _plain(request):
        return None
    chosen = [(name, request.GET[name]) for name in FILTERS if name in request.GET]
    digest = hashlib.blake2b(urlencode(chosen).encode(), digest_size=16).hexdigest()
    return f"services:catalogue:filters:{digest}"


def chrome_key(request) -> str:
    """The key of the page around the body (services/chrome.py), which names the page's path
    (the navigation marks the current page)."""
    digest = hashlib.blake2b(request.path.encode(), digest_size=16).hexdigest()
    return f"services:catalogue:chrome:{digest}"


def look_up(
    page: str | None, filters: str | None, chrome: str | None = None, search: str | None = None
) -> Found:
    """The version, the choices, the page, the filters, the chrome and the search's result of
    these keys (if given), each if cached and current."""
    if not _usable():
        return Found()
    keys = [VERSION_KEY, CHOICES_KEY, *(key for key in (page, filters, chrome, search) if key)]
    try:
        found = cache.get_many(keys)
        version = found.get(VERSION_KEY)
        if version is None:  # never set, or evicted: start one
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=VERSION_SECONDS)
            return Found()  # nothing stored is current; store nothing under a version unsure
    except RedisError:
        logger.warning("Catalogue made without the cache: it is unreachable")
        return Found()
    return Found(
        version=version,
        choices=Choices(rows) if (rows := _current(found.get(CHOICES_KEY), version)) else None,
        page=_current(found.get(page), version) if page else None,
        filters=_current(found.get(filters), version) if filters else None,
        chrome=_current(found.get(chrome), version) if chrome else None,
        search=Result.of(_current(found.get(search), version)) if search else None,
    )


def _current(entry, version):
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    return None


def keep(found: Found, *, choices: Choices | None = None, **html: tuple[str, str | tuple] | None):
    """Stores new choices, and pieces of HTML (page=(key, HTML), filters=(key, HTML),
    chrome=(key, a Shell's parts)) or a search's result (search=(key, Result.entry)), under the
    version read before making them: strings, ints and tuples of them, which any later code can
    read back."""
    if found.version is None:
        return
    entries = {key: (found.version, value) for key, value in filter(None, html.values())}
    if choices is not None:
        entries[CHOICES_KEY] = (found.version, choices.rows)
    if not entries:
        return
    try:
        cache.set_many(entries, timeout=PAGE_SECONDS)
    except RedisError:
        logger.warning("Catalogue not cached: the cache is unreachable")


def load_choices() -> Choices:
    """The directorates and the districts, in one query, each in name order."""
    directorates = Directorate.objects.order_by().annotate(kind=Value(0, IntegerField()))
    districts = District.objects.order_by().annotate(kind=Value(1, IntegerField()))
    fields = ("kind", "pk", "name", "slug")
    rows = (
        directorates.values_list(*fields)
        .union(districts.values_list(*fields), all=True)
        .order_by("kind", "name")
    )
    return Choices([tuple(row) for row in rows])
