"""The public register of decisions: list, filters, pagination, detail and feed, signed out."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from bids.models import Outcome
from evaluation.models import Decision
from members.factories import DecidedCaseFactory
from opendata.published import WITHHELD
from opendata.tests.conftest import SECRET_EMAIL, SECRET_PHONE, days_ago
from services.factories import ServiceFactory
from services.models import District, Portfolio

pytestmark = pytest.mark.django_db
REGISTER = reverse("opendata:register")
ATOM = "{http://www.w3.org/2005/Atom}"


def references(response) -> list[str]:
    return [d.reference for d in response.context["decisions"]]


def test_it_lists_published_decisions_newest_first_to_anyone(client, published_case):
    older = published_case(reference="RTB-2026-0001", published_at=days_ago(3))
    newer = published_case(
        reference="RTB-2026-0002",
        outcome=Outcome.REJECTED,
        decision__ground="unsuitable",
        decision__reasons="The trust has no accounts for the last two years.",
        published_at=days_ago(1),
    )
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert references(response) == ["RTB-2026-0002", "RTB-2026-0001"]
    html = response.content.decode()
    assert older.organisation.name in html and newer.organisation.name in html
    assert "The body, a member of the consortium or a sub-contractor is not suitable" in html
    assert f"{newer.reference}: {newer.service.name}" in html


def test_it_never_lists_an_unpublished_decision(client, published_case):
    published_case(reference="RTB-2026-0001")
    DecidedCaseFactory(reference="RTB-2026-0002")  # decided, not published
    response = client.get(REGISTER)
    assert references(response) == ["RTB-2026-0001"]
    assert "RTB-2026-0002" not in response.content.decode()


def test_the_detail_page_shows_the_decision(client, published_case):
    case = published_case(
        reference="RTB-2026-0007",
        outcome=Outcome.ACCEPTED_WITH_MODIFICATION,
        decision__modification="KCC keeps a golden share.",
        decision__reasons="A strong trading case.",
    )
    response = client.get(reverse("opendata:decision", args=["RTB-2026-0007"]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        case.service.name,
        case.organisation.name,
        "Accepted with a modification agreed with the bidder",
        "KCC keeps a golden share.",
        "A strong trading case.",
    ):
        assert text in html


def test_the_detail_page_of_an_unpublished_or_unknown_decision_is_404(client, published_case):
    DecidedCaseFactory(reference="RTB-2026-0002")
    assert client.get(reverse("opendata:decision", args=["RTB-2026-0002"])).status_code == 404
    assert client.get(reverse("opendata:decision", args=["RTB-2026-9999"])).status_code == 404
    for odd in ("RTB-2026-0002%00", "..%2F..%2Fetc", "RTB-2026-" + "9" * 40, "%E2%80%AE"):
        assert client.get(f"/decisions/{odd}/").status_code == 404


def test_the_register_and_its_pages_never_show_scores_reviewers_or_answers(
    client, rejected_through_the_workflow, commissioning_officer
):
    case = rejected_through_the_workflow()
    decision = Decision.objects.get(case=case)
    for url in (REGISTER, reverse("opendata:decision", args=[case.reference])):
        html = client.get(url).content.decode()
        assert case.organisation.name in html
        for secret in (
            SECRET_EMAIL,
            SECRET_PHONE,
            case.created_by.email,
            case.title,
            commissioning_officer.email,
            commissioning_officer.full_name,
            decision.decided_by.full_name,
        ):
            assert secret not in html, secret


def test_a_withheld_name_shows_as_name_withheld(client, rejected_through_the_workflow):
    case = rejected_through_the_workflow(asks=True, withhold=True)
    for url in (REGISTER, reverse("opendata:decision", args=[case.reference])):
        html = client.get(url).content.decode()
        assert WITHHELD in html
        assert case.organisation.name not in html


def test_filters_by_portfolio_district_outcome_and_year(client, published_case):
    thanet, dover = District.objects.get(name="Thanet"), District.objects.get(name="Dover")
    this_year = timezone.localdate().year
    published_case(
        reference="RTB-2026-0001",
        service=ServiceFactory(portfolio=Portfolio.ADULTS, districts=[thanet]),
    )
    published_case(
        reference="RTB-2026-0002",
        service=ServiceFactory(portfolio=Portfolio.PLACE_BASED, districts=[dover]),
        outcome=Outcome.REJECTED,
    )
    published_case(
        reference="RTB-2025-0003",
        service=ServiceFactory(portfolio=Portfolio.PLACE_BASED, county_wide=True),
        decision__decided_at=timezone.make_aware(datetime.datetime(this_year - 1, 6, 1)),
    )

    def found(**params):
        response = client.get(REGISTER, params)
        assert response.status_code == 200
        return sorted(references(response))

    assert found(portfolio=Portfolio.ADULTS) == ["RTB-2026-0001"]
    assert found(district="thanet") == ["RTB-2025-0003", "RTB-2026-0001"]  # county-wide too
    assert found(outcome=Outcome.REJECTED) == ["RTB-2026-0002"]
    assert found(year=this_year - 1) == ["RTB-2025-0003"]
    assert found(year=this_year, portfolio=Portfolio.PLACE_BASED) == ["RTB-2026-0002"]
    assert found(year=2013) == []


def test_a_service_in_two_districts_is_listed_once_by_district(client, published_case):
    kent = list(District.objects.filter(name__in=["Thanet", "Dover"]))
    published_case(reference="RTB-2026-0001", service=ServiceFactory(districts=kent))
    response = client.get(REGISTER, {"district": "thanet"})
    assert references(response) == ["RTB-2026-0001"]


@pytest.mark.parametrize(
    "params, refused",
    [
        ({"portfolio": "nonsense"}, True),
        ({"district": "atlantis"}, True),
        ({"year": "99999999999999999999999"}, True),
        ({"year": "-1"}, True),
        ({"year": "1066"}, True),
        ({"portfolio": "x" * 10_000}, True),
        ({"outcome": "accepted'; drop table evaluation_decision; --"}, True),
        # control characters are removed from every query string (kcc_portal/middleware.py)
        ({"district": "than\x00et"}, False),
        ({"outcome": "accepted\x00"}, False),
        ({"year": "2026\x1b"}, False),
        ({"page": "99999999999999999999999"}, False),
        ({"page": "\x00"}, False),
        ({"page": "-5"}, False),
    ],
)
def test_odd_filter_values_answer_200_not_500(client, published_case, params, refused):
    published_case(reference="RTB-2026-0001")
    response = client.get(REGISTER, params)
    assert response.status_code == 200
    assert bool(response.context["form"].errors) is refused
    if refused:
        assert "There is a problem" in response.content.decode()
        assert response.content.decode().count("<title>Error: ") == 1


def test_it_pages_twenty_at_a_time(client, published_case):
    for n in range(25):
        published_case(reference=f"RTB-2026-{n + 1:04d}", published_at=days_ago(n))
    first = client.get(REGISTER)
    assert len(references(first)) == 20
    assert references(first)[0] == "RTB-2026-0001"
    second = client.get(REGISTER, {"page": 2})
    assert references(second) == [f"RTB-2026-{n:04d}" for n in range(21, 26)]
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_register_page_runs_the_same_queries_whatever_the_number(
    client, published_case, django_assert_num_queries, count
):
    thanet = District.objects.get(name="Thanet")
    for n in range(count):
        published_case(
            reference=f"RTB-2026-{n + 1:04d}",
            service=ServiceFactory(districts=[thanet]),
            outcome=Outcome.REJECTED if n % 2 else Outcome.ACCEPTED,
        )
    # the count, the page, the services' districts, the district filter's options
    with django_assert_num_queries(4):
        response = client.get(REGISTER)
    assert len(references(response)) == min(count, 20)
    with django_assert_num_queries(5):  # and the district chosen
        client.get(REGISTER, {"district": "thanet", "year": timezone.localdate().year})


def test_the_detail_page_runs_two_queries(client, published_case, django_assert_num_queries):
    published_case(reference="RTB-2026-0001")
    with django_assert_num_queries(2):  # the decision with its case, the service's districts
        assert client.get(reverse("opendata:decision", args=["RTB-2026-0001"])).status_code == 200


def test_the_atom_feed_has_each_published_decision(
    client, published_case, rejected_through_the_workflow
):
    published_case(reference="RTB-2019-0001", published_at=days_ago(2))
    withheld = rejected_through_the_workflow(asks=True, withhold=True)
    DecidedCaseFactory(reference="RTB-2026-0099")  # not published
    response = client.get(reverse("opendata:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert len(entries) == 2
    assert titles[0].startswith(f"{withheld.reference}: {withheld.service.name}")
    assert titles[1].startswith("RTB-2019-0001:")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0].endswith(f"/decisions/{withheld.reference}/")
    text = response.content.decode()
    assert WITHHELD in text and withheld.organisation.name not in text
    assert SECRET_EMAIL not in text and SECRET_PHONE not in text
    assert "RTB-2026-0099" not in text


def test_the_footer_links_to_the_register(client):
    assert f'href="{REGISTER}"' in client.get("/").content.decode()
