"""The catalogue at scale: full-text search, cached cards, gzip, constant queries."""

import gzip
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from services import cards, widgets
from services.factories import DirectorateFactory, ServiceFactory
from services.models import DeliveryModel, District, Portfolio, Service
from services.search import prefix_query, search

pytestmark = pytest.mark.django_db

URL = reverse("services:list")


def names(response):
    return [service.name for service in response.context["page_obj"]]


def text(response):
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def searched(text):
    return sorted(search(Service.objects.all(), text).values_list("name", flat=True))


# --- Search ------------------------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


@postgresql_only
def test_search_finds_other_forms_of_a_word():
    ServiceFactory(name="Library", summary="Books and computers.")
    ServiceFactory(name="Archives", summary="Records kept by the county's libraries.")
    ServiceFactory(name="Highways", summary="Roads.")

    assert searched("libraries") == ["Archives", "Library"]
    assert searched("library") == ["Archives", "Library"]


@postgresql_only
def test_search_takes_each_word_as_the_start_of_a_word():
    ServiceFactory(name="Adult Education")
    ServiceFactory(name="Archives")

    assert searched("educ") == ["Adult Education"]
    assert searched("ducation") == []  # the start of a word, not any part of it


@postgresql_only
def test_search_matches_the_directorate_by_its_words_too():
    care = DirectorateFactory(name="Adult Social Care")
    ServiceFactory(name="Day Centres", directorate=care)
    ServiceFactory(name="Day Nurseries")

    assert searched("day adults") == ["Day Centres"]
    assert searched("cares") == ["Day Centres"]


@postgresql_only
def test_search_ignores_stop_words_and_words_of_punctuation_alone():
    ServiceFactory(name="Library")
    ServiceFactory(name="Highways")

    assert searched("the library") == ["Library"]
    assert searched("the") == ["Highways", "Library"]
    assert searched("library £ - ") == ["Library"]


@postgresql_only
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lib:*", ["Library"]),
        ("'lib'", ["Library"]),
        ("(lib", ["Library"]),
        ("lib\\", ["Library"]),
        ("lib & !high", []),  # "lib" and "high", both required
        ("lib|high", []),
        ("!!", ["Highways", "Library"]),  # no letters: no search
    ],
)
def test_search_reads_tsquery_syntax_as_plain_text(typed, expected):
    ServiceFactory(name="Library")
    ServiceFactory(name="Highways")

    assert searched(typed) == expected


@postgresql_only
def test_search_uses_the_index_of_the_search_document():
    ServiceFactory(name="Library")
    queryset = search(Service.objects.all(), "library")

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()

    assert "service_search_idx" in plan


def test_search_keeps_what_a_word_has_of_letters_and_digits_as_prefixes():
    assert prefix_query("libraries") == "'libraries':*"
    assert prefix_query("children's") == "'children':* & 's':*"
    assert prefix_query("a:*|b') & !c") == "'a':* & 'b':* & 'c':*"
    assert prefix_query("£-") is None


def test_substring_search_of_sqlite_finds_every_word_in_any_part_ignoring_case():
    # The embedded default's path (services.search._substring), run here on whatever database.
    from services.search import _substring

    ServiceFactory(name="Day Centres", directorate=DirectorateFactory(name="Adult Social Care"))
    ServiceFactory(name="Adult Education", summary="Courses for grown-ups.")
    ServiceFactory(name="Highways")

    def found(typed):
        return sorted(
            _substring(Service.objects.all(), typed.split()).values_list("name", flat=True)
        )

    assert found("ADULT") == ["Adult Education", "Day Centres"]
    assert found("ducat") == ["Adult Education"]
    assert found("day adult") == ["Day Centres"]
    assert found("grown-ups") == ["Adult Education"]


# --- Cards, cached -------------------------------------------------------------------------------


def test_catalogue_serves_a_card_from_the_cache(client):
    service = ServiceFactory(name="Library")
    service = Service.objects.select_related("directorate").get(pk=service.pk)
    key = cards.card_key(service, timezone.localdate())
    cache.set(key, '<div class="app-service-card">From the cache</div>')

    try:
        page = text(client.get(URL))
    finally:
        cache.delete(key)

    assert "From the cache" in page


def test_an_edited_service_shows_its_new_details_at_once(client):
    service = ServiceFactory(name="Library", net_budget=Decimal("1000000"))
    assert "Net budget £1,000,000 " in text(client.get(URL))

    service.name = "Libraries and Archives"
    service.net_budget = Decimal("2500000")
    service.save()

    page = text(client.get(URL))
    assert "Libraries and Archives" in page
    assert "Net budget £2,500,000 " in page


def test_a_renamed_directorate_or_changed_districts_show_at_once(client):
    service = ServiceFactory(
        directorate=DirectorateFactory(name="Growth"),
        districts=[District.objects.get(name="Dover")],
    )
    assert "Directorate Growth Portfolio" in text(client.get(URL))

    service.directorate.name = "Growth, Environment and Transport"
    service.directorate.save()
    service.districts.add(District.objects.get(name="Thanet"))

    page = text(client.get(URL))
    assert "Directorate Growth, Environment and Transport Portfolio" in page
    assert "Districts Dover, Thanet " in page


def test_a_card_is_rendered_afresh_each_day_as_its_bid_status_may_change():
    service = ServiceFactory()
    service = Service.objects.select_related("directorate").get(pk=service.pk)
    today = timezone.localdate()

    assert cards.card_key(service, today) != cards.card_key(service, today + timedelta(days=1))


# --- Gzip ----------------------------------------------------------------------------------------


def test_catalogue_is_sent_gzipped_to_those_who_ask(client):
    ServiceFactory(name="Library")

    response = client.get(URL, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Library" in gzip.decompress(response.content).decode()


def test_catalogue_is_sent_plain_to_those_who_do_not(client):
    ServiceFactory(name="Library")

    response = client.get(URL)

    assert not response.has_header("Content-Encoding")
    assert "Library" in response.content.decode()


# --- Queries at scale ----------------------------------------------------------------------------


def many_services(n):
    """`n` services with bulk inserts, across seven directorates and two districts each."""
    directorates = [DirectorateFactory(name=f"Directorate {d}") for d in range(7)]
    made = Service.objects.bulk_create(
        Service(
            name=f"Library service {i:04d}",
            slug=slugify(f"Library service {i:04d}"),
            summary="Books for everyone.",
            directorate=directorates[i % 7],
            portfolio=Portfolio.ADULTS,
            gross_budget=Decimal(2_000_000 + i),
            net_budget=Decimal(1_500_000 + i),
            delivery_model=DeliveryModel.IN_HOUSE,
        )
        for i in range(n)
    )
    dover, thanet = District.objects.get(name="Dover"), District.objects.get(name="Thanet")
    Through = Service.districts.through
    Through.objects.bulk_create(
        Through(service_id=s.pk, district_id=d.pk) for s in made for d in (dover, thanet)
    )


# the page of services with their directorates and the number of them, their districts, and the
# choices of the directorate and district selects (as in test_catalogue_list.LIST_QUERIES)
LIST_QUERIES = 3


@pytest.mark.parametrize("services", [10, 1000])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ({}, LIST_QUERIES),
        ({"q": "library books"}, LIST_QUERIES + 1),  # the words made tsqueries
        ({"sort": "budget-high"}, LIST_QUERIES),
        # past the end: the empty page says nothing of the length, which is counted apart,
        # then the last page is read
        ({"sort": "budget-low", "page": "9999"}, LIST_QUERIES + 2),
        ({"district": "dover", "sort": "closing"}, LIST_QUERIES),  # checked against the choices
    ],
)
def test_catalogue_runs_as_many_queries_at_10_as_at_1000_services(
    client, django_assert_num_queries, services, query, queries
):
    many_services(services)

    with django_assert_num_queries(queries):
        response = client.get(URL, query)

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == services


# --- Widgets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "djangos", "value", "attrs"),
    [
        (
            widgets.Select(choices=[("", "All"), ("a&b", "A & B"), ("c", "C")]),
            forms.Select(choices=[("", "All"), ("a&b", "A & B"), ("c", "C")]),
            "a&b",
            {"class": "govuk-select", "aria-describedby": "x-hint", "id": "id_x"},
        ),
        (
            widgets.Select(choices=[("Group <1>", [("1", "One")]), ("2", "Two")]),
            forms.Select(choices=[("Group <1>", [("1", "One")]), ("2", "Two")]),
            None,
            {"disabled": True, "hidden": False},
        ),
        (widgets.TextInput(), forms.TextInput(), '"><script>', {"maxlength": 100}),
        (widgets.TextInput(), forms.TextInput(), None, {}),
        (widgets.CheckboxInput(), forms.CheckboxInput(), True, {"class": "c"}),
        (widgets.CheckboxInput(), forms.CheckboxInput(), False, {}),
    ],
)
def test_widgets_write_the_same_html_as_djangos_templates(ours, djangos, value, attrs):
    assert ours.render("name", value, attrs=attrs) == djangos.render("name", value, attrs=attrs)
