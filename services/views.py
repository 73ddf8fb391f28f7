"""The public catalogue: a filtered, paginated list of services and a page for each.

The list's body (filters and results) is cached whole for the catalogue's first pages and
filters, and each request reads that, the filter choices, the page around the body (for
anonymous visitors) and the catalogue's version in one cache round trip
(services/catalogue_cache.py, chrome.py), and for a search asked before, its result (the
number found and the page's cards' ids); otherwise the page and the number of services are one
query (services/paging.py). The cards come from their own cache (services/cards.py) and the
body is written in Python (services/catalogue_html.py)."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from services import cards, catalogue_cache, catalogue_html, chrome, paging
from services.bid_window import bid_status
from services.filters import ServiceFilter
from services.models import Service


def service_list(request):
    today = timezone.localdate()
    query = request.GET.urlencode()
    key = catalogue_cache.page_key(query, today)
    cacheable = catalogue_cache.may_cache_page(request)
    search_key = catalogue_cache.search_key(query, today)
    searchable = catalogue_cache.may_cache_search(request)
    filters_key = catalogue_cache.filters_key(request)
    chrome_key = catalogue_cache.chrome_key(request) if chrome.may_use(request) else None
    found = catalogue_cache.look_up(
        key if cacheable else None, filters_key, chrome_key, search_key if searchable else None
    )
    if found.page is not None:
        body = mark_safe(found.page)  # noqa: S308 - our own output, as kept below
        return _respond(request, found, chrome_key, body, valid=True, keep={})
    choices = found.choices or catalogue_cache.load_choices()
    # Districts are read only for cards not in the cache (services/cards.py).
    services = Service.objects.select_related("directorate").defer("search_document")
    filterset = ServiceFilter(request.GET, queryset=services, today=today, choices=choices)
    valid = filterset.form.is_valid()
    result = found.search if valid else None
    per_page = settings.CATALOGUE_PAGE_SIZE
    if result is not None:  # a search asked before, under this version: no query
        page = _cached_page(result, per_page)
        page_cards = cards.cards_of(list(result.cards), today)
    else:
        page = paging.get_page(filterset.qs, request.GET.get("page"), per_page)
        page_cards = cards.cards(list(page), today)
    context = {
        "filter": filterset,
        "form": filterset.form,  # base.html prefixes the title with "Error:" when invalid
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
        "cards": page_cards,
    }
    filters = found.filters  # the filters but the search box, which depend on nothing else
    if filters is None:
        filters = render_to_string("services/_catalogue_filters.html", context)
    filters = mark_safe(filters)  # noqa: S308 - our template's output, as kept below
    body = catalogue_html.body(
        form=filterset.form,
        filters=filters,
        page=page,
        page_range=context["page_range"],
        cards=context["cards"],
        query=request.GET,
    )
    # Kept only if the page asked for is the page shown (no "?page=999" kept as the last).
    shown = str(page.number)
    kept = valid and request.GET.get("page", shown) == shown
    made = None
    if kept and searchable and result is None:
        made = catalogue_cache.Result(
            page.paginator.count, page.number, tuple(cards.card_id(s) for s in page)
        )
    keep = {
        "choices": choices if found.choices is None else None,
        "page": (key, body) if kept and cacheable else None,
        "filters": (filters_key, filters) if valid and filters_key and not found.filters else None,
        "search": (search_key, made.entry) if made else None,
    }
    return _respond(request, found, chrome_key, body, valid=valid, keep=keep, context=context)


def _cached_page(result: catalogue_cache.Result, per_page: int) -> Page:
    """The page of a cached search's result, its number and count as they were: its items are
    the cards' ids, not services (the body needs only the numbers)."""
    paginator = Paginator([], per_page)
    paginator.count = result.count  # a cached_property: set, never counted
    return Page(list(result.cards), result.number, paginator)


def _respond(request, found, chrome_key, body, *, valid, keep, context=None):
    """The page: for an anonymous visitor with no messages and a valid form, the cached chrome
    filled in with the body (services/chrome.py); otherwise base.html rendered whole. Keeps
    what is new (`keep`, and the chrome if made) in one cache round trip."""
    shell = None
    if chrome_key and valid and found.version is not None:
        shell = chrome.Shell.of(found.chrome)
        if shell is None and (shell := chrome.make(request)) is not None:
            keep["chrome"] = (chrome_key, shell.parts)
    catalogue_cache.keep(found, **keep)
    if shell is not None:
        return shell.fill(request, body)
    return render(request, "services/service_list.html", {**(context or {}), "body": body})


def service_detail(request, slug):
    service = get_object_or_404(
        Service.objects.select_related("directorate").prefetch_related("districts"), slug=slug
    )
    return render(
        request,
        "services/service_detail.html",
        {"service": service, "status": bid_status(service, timezone.localdate())},
    )
