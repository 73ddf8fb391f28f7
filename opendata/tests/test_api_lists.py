"""The API's lists: filters, pages, a fixed number of queries whatever the number of rows, the
anonymous throttle, and odd input answered with 4xx, never a server error."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from opendata.tests.api_helpers import API, case_in_review, own_cache, published_case
from services.factories import DirectorateFactory, DistrictFactory, ServiceFactory
from services.models import Portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_throttle_counts(settings):
    own_cache(settings)


# --- Queries per page ------------------------------------------------------------------------


def _services(n):
    districts = [DistrictFactory(name="Dover"), DistrictFactory(name="Swale")]
    for _ in range(n):
        ServiceFactory(districts=districts)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    ("path", "make", "role", "expected"),
    [
        # count, page, each service's districts
        ("services", _services, None, 3),
        # count, page (with service, directorate and organisation), the services' districts
        ("decisions", lambda n: [published_case() for _ in range(n)], None, 3),
        # session, user, roles; count, page, the cases' assessments
        (
            "cases",
            lambda n: [case_in_review() for _ in range(n)],
            Role.COMMISSIONING_OFFICER,
            6,
        ),
        ("directorates", lambda n: DirectorateFactory.create_batch(n), None, 2),
        ("districts", lambda n: DistrictFactory.create_batch(n), None, 2),
    ],
)
def test_a_page_takes_the_same_queries_for_10_rows_as_for_200(
    client, user_for_role, django_assert_num_queries, path, make, role, expected
):
    if role:
        client.force_login(user_for_role(role))
    url = f"{API}/{path}/?page_size=200"
    already = client.get(url).json()["count"]  # Kent's districts come with the migrations
    make(10)
    assert client.get(url).json()["count"] == already + 10
    assert _queries(client, url) == expected
    make(190)
    with django_assert_num_queries(expected):
        body = client.get(url).json()
    assert body["count"] == already + 200
    assert len(body["results"]) == 200


# --- Pages and filters -------------------------------------------------------------------------


def test_pages_hold_50_by_default_and_at_most_200(client):
    _services(205)
    assert len(client.get(f"{API}/services/").json()["results"]) == 50
    body = client.get(f"{API}/services/?page_size=5000").json()
    assert len(body["results"]) == 200
    assert body["next"].endswith("page=2&page_size=5000")


def test_services_take_the_catalogues_filters(client):
    thanet = DistrictFactory(name="Thanet")
    ServiceFactory(name="Adult social care", portfolio=Portfolio.ADULTS, districts=[thanet])
    ServiceFactory(name="Highways", portfolio=Portfolio.PLACE_BASED, county_wide=True)
    ServiceFactory(name="Payroll", net_budget=12_000_000, gross_budget=12_000_000)

    def names(query):
        response = client.get(f"{API}/services/?{query}")
        assert response.status_code == 200, response.content
        return [s["name"] for s in response.json()["results"]]

    assert names("q=adult+care") == ["Adult social care"]
    assert names("portfolio=adults") == ["Adult social care"]
    assert names("district=thanet") == ["Adult social care", "Highways"]
    assert names("budget=10m-and-over") == ["Payroll"]
    assert names("sort=budget-high")[0] == "Payroll"


def test_decisions_filter_by_outcome_portfolio_and_year(client):
    accepted = published_case(service__portfolio=Portfolio.ADULTS)
    rejected = published_case(outcome="rejected")

    def references(query):
        return [d["reference"] for d in client.get(f"{API}/decisions/?{query}").json()["results"]]

    assert references("outcome=rejected") == [rejected.reference]
    assert references("portfolio=adults") == [accepted.reference]
    year = accepted.decision.published_at.year
    assert len(references(f"year={year}")) == 2
    assert references(f"year={year - 1}") == []


# --- Throttling --------------------------------------------------------------------------------


def test_anonymous_clients_are_throttled_per_address(client, settings, commissioning_officer):
    settings.API_ANON_RATE = "3/min"
    for _ in range(3):
        assert client.get(f"{API}/districts/").status_code == 200
    refused = client.get(f"{API}/services/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Not fooled by a forwarded-for header the client wrote itself (no proxy is configured).
    assert client.get(f"{API}/services/", HTTP_X_FORWARDED_FOR="10.9.8.7").status_code == 429
    # Another address has counts of its own; a signed-in officer is not counted.
    assert client.get(f"{API}/services/", REMOTE_ADDR="10.1.2.3").status_code == 200
    client.force_login(commissioning_officer)
    for _ in range(5):
        assert client.get(f"{API}/cases/").status_code == 200


# --- Odd input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("services/?page=99999999999999999999999", 404),
        ("services/?page=abc", 404),
        ("services/?page=-1", 404),
        ("services/?page=%00", 200),  # the NUL is stripped: page 1
        ("services/?page_size=abc", 200),
        ("services/?page_size=-7", 200),
        ("services/?district=%00", 200),  # stripped: no filter
        ("services/?district=nowhere", 400),
        ("services/?portfolio=%00adults", 200),
        ("services/?portfolio=x", 400),
        ("services/?budget=1e309", 400),
        ("services/?sort=%27;drop", 400),
        ("services/?q=" + "a" * 101, 400),
        ("services/?open=maybe", 200),  # django-filter reads anything but true/false as unset
        ("services/%00/", 404),
        ("services/99999999999999999999/", 404),
        ("districts/a%E2%80%AEb/", 404),
        ("decisions/?year=abc", 400),
        ("decisions/?year=99999999999999999999", 400),
        ("decisions/?outcome=%00", 200),
        ("decisions/not-a-ref/", 404),
        ("decisions/RTB-2026-0001%00/", 404),
        ("decisions/" + "9" * 40 + "/", 404),
    ],
)
def test_odd_input_is_answered_with_4xx_never_500(client, url, status):
    published_case()
    ServiceFactory(districts=[DistrictFactory()])
    assert client.get(f"{API}/{url}").status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "cases/abc/",
        "cases/%00/",
        "cases/12/",
        "cases/99999999999999999999/",
        "cases/" + "x" * 200 + "/",
        "cases/RTB-2026-0001%0A/",
    ],
)
def test_odd_case_references_are_404_for_officers(client, commissioning_officer, url):
    case_in_review()
    client.force_login(commissioning_officer)
    assert client.get(f"{API}/{url}").status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [("status=%00", 200), ("status=nope", 400), ("service=" + "s" * 300, 400)],
)
def test_odd_case_filters_are_4xx_for_officers(client, commissioning_officer, query, status):
    client.force_login(commissioning_officer)
    assert client.get(f"{API}/cases/?{query}").status_code == status


def test_the_api_is_read_only(client, commissioning_officer):
    case = case_in_review()
    assert client.post(f"{API}/services/", {}, content_type="application/json").status_code == 405
    client.force_login(commissioning_officer)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}/cases/{case.reference}/")
        assert response.status_code in (403, 405), method  # CSRF refuses a session's writes
    case.refresh_from_db()
    assert case.status == "under_review"
