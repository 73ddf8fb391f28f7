"""The catalogue's cached pages and choices (services/catalogue_cache.py) and its page read with
its count in one query (services/paging.py).

A page is cached only outside a transaction, so the cache's tests commit (transaction=True)."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from services import cards, paging
from services.factories import DirectorateFactory, ServiceFactory
from services.models import District, Service

URL = reverse("services:list")

committed = pytest.mark.django_db(transaction=True)


def text(response):
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


# --- Cached pages ----------------------------------------------------------------------------


@committed
def test_a_list_page_is_served_from_the_cache_with_no_query(client, django_assert_num_queries):
    ServiceFactory(name="Library")
    client.get(URL)  # made, and kept

    with django_assert_num_queries(0):
        response = client.get(URL)

    assert response.status_code == 200
    assert "Library" in text(response)


@committed
def test_an_edited_or_deleted_service_shows_at_once_on_a_cached_page(client):
    library = ServiceFactory(name="Library", net_budget=Decimal("1000000"))
    archives = ServiceFactory(name="Archives")
    assert "Net budget £1,000,000 " in text(client.get(URL))

    library.name = "Libraries and Archives"
    library.net_budget = Decimal("2500000")
    library.save()
    archives.delete()

    page = text(client.get(URL))
    assert "Libraries and Archives" in page
    assert "Net budget £2,500,000 " in page
    assert "Archives Directorate" not in page
    assert "1 service " in page


@committed
def test_a_new_directorate_name_or_districts_show_at_once_on_a_cached_page(client):
    service = ServiceFactory(
        directorate=DirectorateFactory(name="Growth"),
        districts=[District.objects.get(name="Dover")],
    )
    assert "Directorate Growth Portfolio" in text(client.get(URL))

    service.directorate.name = "Growth, Environment and Transport"
    service.directorate.save()
    service.districts.add(District.objects.get(name="Thanet"))

    response = client.get(URL)
    page = text(response)
    assert "Directorate Growth, Environment and Transport Portfolio" in page
    assert "Districts Dover, Thanet " in page
    assert ">Growth, Environment and Transport</option>" in response.content.decode()  # a choice


@committed
def test_a_new_search_uses_the_cached_choices_cards_and_chrome(client, django_assert_num_queries):
    ServiceFactory(name="Library")
    ServiceFactory(name="Highways")
    client.get(URL)  # the choices, the cards and the chrome kept

    with django_assert_num_queries(2):  # the words made tsqueries; the page and its count
        response = client.get(URL, {"q": "library"})

    page = text(response)
    assert "1 service Library " in page
    assert "Highways" not in page


@committed
def test_a_search_asked_again_is_no_query_and_shows_a_change_at_once(
    client, django_assert_num_queries
):
    library = ServiceFactory(name="Library", net_budget=Decimal("1000000"))
    ServiceFactory(name="Highways")
    first = client.get(URL, {"q": "library"}).content

    with django_assert_num_queries(0):
        again = client.get(URL, {"q": "library"})

    assert re.sub(rb'nonce="[^"]*"', b"", again.content) == re.sub(rb'nonce="[^"]*"', b"", first)

    library.net_budget = Decimal("2500000")
    library.save()
    ServiceFactory(name="Library van")
    page = text(client.get(URL, {"q": "library"}))
    assert "2 services " in page
    assert "Net budget £2,500,000 " in page


@committed
def test_a_cached_search_pages_as_it_did(client, settings, django_assert_num_queries):
    settings.CATALOGUE_PAGE_SIZE = 2
    for n in range(5):
        ServiceFactory(name=f"Library {n}")
    first = text(client.get(URL, {"q": "library", "page": "2"}))

    with django_assert_num_queries(0):
        again = text(client.get(URL, {"q": "library", "page": "2"}))

    assert again == first
    assert "5 services Showing 3 to 4 of 5 Library 2 " in again
    assert "Library 3 " in again
    assert "Previous page 1 2 3 Next page" in again
    client.get(URL, {"q": "library", "page": "9"})  # past the end: the last page, never kept
    with django_assert_num_queries(4):  # the words; no page 9; the count; the last page
        last = text(client.get(URL, {"q": "library", "page": "9"}))
    assert "Showing 5 to 5 of 5 Library 4 " in last


@committed
def test_a_cached_search_reads_the_services_of_cards_no_longer_cached(
    client, django_assert_num_queries
):
    library = ServiceFactory(name="Library", districts=[District.objects.get(name="Dover")])
    client.get(URL, {"q": "library"})
    library.refresh_from_db()  # its districts moved updated_at
    cache.delete(cards.card_key(library, timezone.localdate()))  # evicted

    with django_assert_num_queries(2):  # the services; their districts
        page = text(client.get(URL, {"q": "library"}))

    assert "1 service Library " in page
    assert "Districts Dover " in page


@committed
def test_a_search_in_error_or_with_names_not_the_catalogues_is_never_cached(
    client, django_assert_num_queries
):
    ServiceFactory(name="Library")
    for query in [{"q": "library", "utm_source": "x"}, {"q": "library", "portfolio": "nonsense"}]:
        client.get(URL, query)

        with django_assert_num_queries(2):
            client.get(URL, query)


@committed
def test_only_query_strings_of_the_catalogues_own_are_cached(client, django_assert_num_queries):
    ServiceFactory(name="Library")
    for query in ["?utm_source=x", "?sort=name&sort=name", "?open=yes", "?portfolio=nonsense"]:
        client.get(URL + query)

        with django_assert_num_queries(1):  # made afresh each time, from the cached choices
            client.get(URL + query)


@committed
def test_a_cached_page_shows_the_readers_own_header(client, django_user_model):
    ServiceFactory(name="Library")
    client.get(URL)  # kept, made for an anonymous visitor
    client.force_login(django_user_model.objects.create_user("ann@example.com", "x" * 20))

    response = client.get(URL)

    assert "Sign out" in response.content.decode()
    assert "Library" in text(response)


def nonces(response):
    """The CSP header's nonce and the page's, each page's own; and the page without it."""
    html = response.content.decode()
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    page = re.findall(r'nonce="([^"]*)"', html)
    return header, page, re.sub(r'nonce="[^"]*"', 'nonce=""', html)


@committed
@pytest.mark.parametrize("query", [{}, {"q": "library"}, {"q": "library", "page": "2"}])
def test_the_cached_chrome_filled_in_is_the_page_rendered_whole(client, settings, query):
    settings.CATALOGUE_PAGE_SIZE = 1
    ServiceFactory(name="Library")
    ServiceFactory(name="Mobile library")
    client.get(URL, query)  # the chrome made, and kept
    from_cache = client.get(URL, query)
    assert from_cache.templates == []  # nothing rendered: the chrome and the cards were cached
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    whole = client.get(URL, query)

    assert "services/service_list.html" in [t.name for t in whole.templates]
    (cached_header, cached_page, cached), (header, page, html) = nonces(from_cache), nonces(whole)
    assert cached == html
    assert cached_page == [cached_header] and page == [header]  # the response's own nonce
    assert cached_header != header
    assert from_cache["Vary"] == whole["Vary"]


@committed
def test_the_cached_chrome_is_not_used_for_a_page_with_messages_or_errors(
    client, django_user_model
):
    ServiceFactory(name="Library")
    client.get(URL, {"q": "library"})  # the chrome kept, for anonymous visitors
    client.force_login(django_user_model.objects.create_user("ann@example.com", "x" * 20))
    client.post(reverse("accounts:sign-out"))  # anonymous again, with a message

    assert "You have signed out" in text(client.get(URL, {"q": "library"}))
    assert "You have signed out" not in text(client.get(URL, {"q": "library"}))  # shown once
    invalid = client.get(URL, {"q": "library", "sort": "random"}).content.decode()
    assert "<title>Error: Services" in invalid
    assert "There is a problem" in invalid


@committed
def test_the_catalogue_answers_with_its_cache_down(client, settings):
    ServiceFactory(name="Library")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    ServiceFactory(name="Highways")  # a change, whose new version cannot be stored

    for query in [{}, {"q": "library"}, {"district": "dover"}]:
        response = client.get(URL, query)
        assert response.status_code == 200
    assert "Highways" in text(client.get(URL))


# --- A page and its count in one query -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number", [None, "1", "2", "3", "4", "0", "-1", "abc", "2.0", "", "99999999999999999999"]
)
def test_a_page_is_the_one_djangos_paginator_gives(number):
    for i in range(45):
        ServiceFactory(name=f"Service {i:02d}")
    services = Service.objects.order_by("name")

    ours = paging.get_page(services, number, 20)
    djangos = Paginator(services, 20).get_page(number)

    assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
        djangos.number,
        djangos.paginator.count,
        djangos.paginator.num_pages,
    )
    assert list(ours) == list(djangos)


@pytest.mark.django_db
def test_a_page_of_an_empty_list_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = paging.get_page(Service.objects.order_by("name"), "1", 20)

    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


@pytest.mark.django_db
def test_a_page_of_a_list_with_distinct_rows_is_counted_apart():
    # COUNT(*) OVER () would count the rows before DISTINCT removes any
    dover = District.objects.get(name="Dover")
    for i in range(3):
        ServiceFactory(name=f"Service {i}", districts=[dover, District.objects.get(name="Thanet")])
    services = Service.objects.filter(districts__name__in=["Dover", "Thanet"]).distinct()

    page = paging.get_page(services.order_by("name"), "1", 20)

    assert page.paginator.count == 3
    assert len(page) == 3
