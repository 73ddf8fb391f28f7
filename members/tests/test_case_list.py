"""The list of decided cases: its filters, their errors, its order, pages and queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bids.models import Status
from evaluation.models import Framework
from members.factories import AssessmentFactory, DecidedCaseFactory
from services.factories import ServiceFactory
from services.models import District, Portfolio

pytestmark = pytest.mark.django_db

URL = reverse("members:list")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def references(response):
    return [case.reference for case in response.context["page_obj"]]


def text(response):
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def district(name):
    return District.objects.get(name=name)


def at(day: int):
    """Noon, London time, on the given day of March 2026."""
    return timezone.make_aware(datetime.datetime(2026, 3, day, 12))


def test_lists_decided_and_published_cases_newest_decision_first(signed_in):
    DecidedCaseFactory(reference="RTB-2026-0001", decision__decided_at=at(1))
    DecidedCaseFactory(
        reference="RTB-2026-0002", status=Status.PUBLISHED, decision__decided_at=at(9)
    )
    DecidedCaseFactory(reference="RTB-2026-0003", decision__decided_at=at(5))

    response = signed_in.get(URL)

    assert response.status_code == 200
    assert references(response) == ["RTB-2026-0002", "RTB-2026-0003", "RTB-2026-0001"]
    assert "3 decided cases" in text(response)
    assert (
        "<title>Decided business cases \N{EN DASH} Kent right to bid" in response.content.decode()
    )


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "screening", "under_review", "moderation", "withdrawn"]
)
def test_cases_not_decided_are_not_listed(signed_in, status):
    DecidedCaseFactory(reference="RTB-2026-0001", status=status)
    assert references(signed_in.get(URL)) == []


def test_district_filter_includes_county_wide_services(signed_in):
    thanet, swale = district("Thanet"), district("Swale")
    DecidedCaseFactory(reference="RTB-2026-0001", service=ServiceFactory(districts=[thanet]))
    DecidedCaseFactory(reference="RTB-2026-0002", service=ServiceFactory(districts=[swale]))
    DecidedCaseFactory(reference="RTB-2026-0003", service=ServiceFactory(county_wide=True))
    DecidedCaseFactory(reference="RTB-2026-0004", service=ServiceFactory(districts=[thanet, swale]))

    response = signed_in.get(URL, {"district": "thanet"})

    assert sorted(references(response)) == ["RTB-2026-0001", "RTB-2026-0003", "RTB-2026-0004"]


def test_portfolio_filter(signed_in):
    DecidedCaseFactory(reference="RTB-2026-0001", service__portfolio=Portfolio.ADULTS)
    DecidedCaseFactory(reference="RTB-2026-0002", service__portfolio=Portfolio.ZERO_25)
    assert references(signed_in.get(URL, {"portfolio": "adults"})) == ["RTB-2026-0001"]


def test_outcome_filter(signed_in):
    DecidedCaseFactory(reference="RTB-2026-0001", outcome="accepted")
    DecidedCaseFactory(reference="RTB-2026-0002", outcome="rejected")
    DecidedCaseFactory(reference="RTB-2026-0003", outcome="accepted_with_modification")
    assert references(signed_in.get(URL, {"outcome": "rejected"})) == ["RTB-2026-0002"]


def test_recommendation_filter_reads_the_latest_assessment(signed_in):
    DecidedCaseFactory(reference="RTB-2026-0001", assessment__recommendation="MAKE")
    rescored = DecidedCaseFactory(reference="RTB-2026-0002", assessment__recommendation="MAKE")
    # Scored again against a later framework: the later assessment's recommendation counts.
    later = Framework.objects.create(name="Later", version=1)
    AssessmentFactory(case=rescored, framework=later, recommendation="SELL")
    DecidedCaseFactory(reference="RTB-2026-0003", assessment__recommendation="BUY")

    assert references(signed_in.get(URL, {"recommendation": "MAKE"})) == ["RTB-2026-0001"]
    assert references(signed_in.get(URL, {"recommendation": "SELL"})) == ["RTB-2026-0002"]


def test_a_case_never_assessed_is_listed_with_no_recommendation(signed_in):
    DecidedCaseFactory(reference="RTB-2026-0001", assessment=None)
    response = signed_in.get(URL)
    assert references(response) == ["RTB-2026-0001"]
    assert "Automatic recommendation Not assessed" in text(response)
    assert references(signed_in.get(URL, {"recommendation": "BUY"})) == []


def test_date_filters_include_both_ends(signed_in):
    for day in (1, 5, 9, 12):
        DecidedCaseFactory(reference=f"RTB-2026-{day:04d}", decision__decided_at=at(day))

    response = signed_in.get(URL, {"decided_from": "5/3/2026", "decided_to": "09/03/2026"})

    assert references(response) == ["RTB-2026-0009", "RTB-2026-0005"]
    assert references(signed_in.get(URL, {"decided_from": "2026-03-10"})) == ["RTB-2026-0012"]


def test_a_decision_late_in_the_evening_counts_on_its_london_date(signed_in):
    # 23:30 London time on 31 March (BST) is 22:30 UTC the same day, but 00:30 on 1 April in
    # some other zones: the filter compares the London date.
    late = timezone.make_aware(datetime.datetime(2026, 3, 31, 23, 30))
    DecidedCaseFactory(reference="RTB-2026-0001", decision__decided_at=late)
    assert references(signed_in.get(URL, {"decided_to": "31/3/2026"})) == ["RTB-2026-0001"]
    assert references(signed_in.get(URL, {"decided_from": "1/4/2026"})) == []


def test_filters_combine(signed_in):
    thanet = district("Thanet")
    DecidedCaseFactory(
        reference="RTB-2026-0001",
        service=ServiceFactory(districts=[thanet], portfolio=Portfolio.ADULTS),
        outcome="rejected",
    )
    DecidedCaseFactory(
        reference="RTB-2026-0002",
        service=ServiceFactory(districts=[thanet], portfolio=Portfolio.ADULTS),
    )
    response = signed_in.get(
        URL, {"district": "thanet", "portfolio": "adults", "outcome": "accepted"}
    )
    assert references(response) == ["RTB-2026-0002"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"decided_from": "31/2/2026"}, "decided_from", "Enter the date decided from as a real"),
        ({"decided_to": "yesterday"}, "decided_to", "Enter the date decided to as a real date"),
        (
            {"decided_from": "10/3/2026", "decided_to": "1/3/2026"},
            "decided_to",
            "The ‘to’ date must be the same as or after the ‘from’ date",
        ),
        ({"district": "atlantis"}, "district", "Select a district from the list"),
        ({"portfolio": "navy"}, "portfolio", "Select a portfolio from the list"),
        ({"outcome": "maybe"}, "outcome", "Select an outcome from the list"),
        ({"recommendation": "STEAL"}, "recommendation", "Select a recommendation from the list"),
    ],
)
def test_bad_input_shows_the_gov_uk_error_summary(signed_in, query, field, message):
    """As in the catalogue, a filter in error is left out, and the others still apply."""
    DecidedCaseFactory(reference="RTB-2026-0001", decision__decided_at=at(1))

    response = signed_in.get(URL, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="govuk-error-summary"') == 1
    assert f'<li><a href="#id_{field}">{message}' in html
    assert f'id="{field}-error"' in html
    assert "<title>Error: Decided business cases" in html
    assert references(response) == (
        [] if field == "decided_to" and "decided_from" in query else ["RTB-2026-0001"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "district=%00",
        "decided_from=1%2F3%2F2026%00",
        "outcome=accepted%00&portfolio=%00adults",
        "page=%00",
        "recommendation=%00BUY",
        "decided_to=%C0%AF",
        "page=99999",
        "page=-1",
    ],
)
def test_odd_query_strings_never_cause_a_server_error(signed_in, query):
    DecidedCaseFactory()
    response = signed_in.get(f"{URL}?{query}")
    assert response.status_code == 200


def test_twenty_a_page_with_gov_uk_pagination_keeping_the_filters(signed_in):
    for n in range(21):
        DecidedCaseFactory(outcome="accepted", decision__decided_at=at(1) + datetime.timedelta(n))

    first = signed_in.get(URL, {"outcome": "accepted"})
    second = signed_in.get(URL, {"outcome": "accepted", "page": 2})

    assert len(references(first)) == 20
    assert len(references(second)) == 1
    html = first.content.decode()
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?outcome=accepted&amp;page=2" rel="next"' in html
    assert "Showing 1 to 20 of 21, newest decision first" in text(first)


@pytest.mark.parametrize("how_many", [1, 25])
def test_the_list_takes_the_same_number_of_queries_however_many_cases(
    signed_in, django_assert_num_queries, how_many
):
    thanet = district("Thanet")
    for _ in range(how_many):
        DecidedCaseFactory(service=ServiceFactory(districts=[thanet, district("Swale")]))
    signed_in.get(URL)  # the sliding session is renewed on the first request, not counted
    # Session, user, the user's roles (access and navigation), the district chosen, the
    # districts for the filter's list, the count, the page, and the page's districts.
    with django_assert_num_queries(8):
        response = signed_in.get(URL, {"district": "thanet", "recommendation": "BUY"})
    assert len(references(response)) == min(how_many, 20)
