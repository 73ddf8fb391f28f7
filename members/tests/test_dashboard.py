"""The pipeline dashboard's figures against a set of cases worked out by hand, its queries at 5
and at 200 cases, its charts and its CSV."""

import csv
import datetime
import io
import uuid
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganisationFactory, UserFactory
from accounts.roles import Role
from bids import workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Outcome, Status
from evaluation import assessments
from evaluation.models import Assessment, Decision, Framework, Recommendation
from members import dashboard
from members.factories import AssessmentFactory, DecisionFactory
from services.factories import ServiceFactory
from services.models import District, Portfolio

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
START = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC)


def whole_life(in_house: str, bid: str) -> dict:
    return {"cost_in_house": in_house, "cost_bid": bid, "npv_bid": "1", "npv_in_house": "1"}


def make_case(service, status, *, assessed=None, decided_after=None, outcome=""):
    """A case in `status`; `assessed` = (recommendation, in-house, bid); `decided_after`: days from
    submission to decision."""
    case = BusinessCaseFactory(
        service=service,
        status=status,
        outcome=outcome,
        submitted_at=None if status == Status.DRAFT else START,
    )
    if assessed:
        recommendation, in_house, bid = assessed
        AssessmentFactory(
            case=case, recommendation=recommendation, whole_life=whole_life(in_house, bid)
        )
    if decided_after is not None:
        DecisionFactory(case=case, decided_at=START + decided_after * DAY)
    return case


@pytest.fixture
def districts():
    return District.objects.get(name="Thanet"), District.objects.get(name="Swale")


@pytest.fixture
def hand_made(districts, settings):
    """Nine cases; every expected figure below is worked out from them by hand."""
    settings.SAVINGS_TARGET_POUNDS = 10_000_000
    thanet, swale = districts
    a = ServiceFactory(
        portfolio=Portfolio.ADULTS, districts=[thanet, swale], figures_illustrative=False
    )
    b = ServiceFactory(
        portfolio=Portfolio.PLACE_BASED, county_wide=True, figures_illustrative=False
    )
    c = ServiceFactory(portfolio=Portfolio.ADULTS, districts=[thanet], figures_illustrative=True)
    M, B, S = Recommendation.MAKE, Recommendation.BUY, Recommendation.SELL
    make_case(a, Status.DRAFT, assessed=(B, "99000000", "1"))  # 1: a draft counts nowhere
    make_case(a, Status.SUBMITTED, assessed=(B, "3000000", "2700000.50"))  # 2
    make_case(b, Status.UNDER_REVIEW, assessed=(M, "8000000", "8400000"))  # 3
    make_case(b, Status.WITHDRAWN, assessed=(B, "6000000", "5000000"))  # 4: status only
    five = make_case(  # 5
        a,
        Status.DECIDED,
        assessed=(B, "3000000", "2400000"),
        decided_after=10,
        outcome=Outcome.ACCEPTED,
    )
    # An older assessment of case 5, against an earlier framework: the latest one counts.
    old = Assessment.objects.create(
        case=five,
        framework=Framework.objects.create(name="Earlier", version=1),
        engine_version="old",
        scores=[],
        total="10.0",
        recommendation=S,
        whole_life=whole_life("50000000", "1"),
    )
    Assessment.objects.filter(pk=old.pk).update(created_at=START - 30 * DAY)
    make_case(  # 6
        c,
        Status.PUBLISHED,
        assessed=(S, "1500000", "1200000"),
        decided_after=4,
        outcome=Outcome.ACCEPTED_WITH_MODIFICATION,
    )
    make_case(  # 7
        c,
        Status.DECIDED,
        assessed=(M, "1000000", "1100000"),
        decided_after=30,
        outcome=Outcome.REJECTED,
    )
    make_case(a, Status.DECIDED, decided_after=7, outcome=Outcome.REJECTED)  # 8: not assessed
    make_case(b, Status.SCREENING)  # 9: not assessed


def tallies(items) -> dict[str, int]:
    return {t.label: t.value for t in items}


def test_counts_by_status_portfolio_and_district(hand_made):
    p = dashboard.pipeline()
    assert tallies(p.by_status) == {
        "Submitted": 1,
        "Screening": 1,
        "Under review": 1,
        "Moderation": 0,
        "Decided": 3,
        "Decision published": 1,
        "Withdrawn": 1,
    }
    # Submitted and not withdrawn: cases 2, 3, 5, 6, 7, 8 and 9.
    assert p.standing == 7
    assert tallies(p.by_portfolio) == {
        "0-25": 0,
        "Adults": 5,  # 2, 5, 8 (service a) and 6, 7 (service c)
        "Place-based": 2,  # 3 and 9 (service b)
        "Business capability": 0,
    }
    by_district = tallies(p.by_district)
    assert (by_district["Thanet"], by_district["Swale"], by_district["County-wide"]) == (5, 3, 2)
    assert sum(by_district.values()) == 10  # every other district has none
    assert len(by_district) == District.objects.count() + 1


def test_savings_by_portfolio_from_each_cases_latest_assessment(hand_made):
    p = dashboard.pipeline()
    adults, place = p.savings[1], p.savings[2]
    # Cases 2, 5, 6 and 7: in-house 3m + 3m + 1.5m + 1m, bids 2,700,000.50 + 2.4m + 1.2m + 1.1m.
    assert (adults.label, adults.bids) == ("Adults", 4)
    assert (adults.in_house, adults.bid) == (D("8500000"), D("7400000.50"))
    assert adults.saving == D("1099999.50")
    # Accepted: 5 (accepted) and 6 (with a modification); 6 and 7 are for service c, illustrative.
    assert (adults.accepted_bids, adults.accepted_in_house, adults.accepted_bid) == (
        2,
        D("4500000"),
        D("3600000"),
    )
    assert (adults.accepted_saving, adults.illustrative) == (D("900000"), 2)
    # Case 3 costs more than in-house: a negative saving. Case 4 is withdrawn, 9 not assessed.
    assert (place.bids, place.saving, place.accepted_bids, place.accepted_saving) == (
        1,
        D("-400000"),
        0,
        D("0"),
    )
    assert [s.bids for s in (p.savings[0], p.savings[3])] == [0, 0]
    total = p.savings_total
    assert (total.bids, total.in_house, total.bid) == (5, D("16500000"), D("15800000.50"))
    assert (total.saving, total.accepted_saving, total.illustrative) == (
        D("699999.50"),
        D("900000"),
        2,
    )
    # Against a target of £10m: 699,999.50 is 6.99995%, 900,000 is 9%.
    assert (p.target, p.proposed_share, p.accepted_share) == (D("10000000"), D("7.0"), D("9.0"))


def test_recommendation_against_decision_and_median_days(hand_made):
    p = dashboard.pipeline()
    # Decided: 5 BUY accepted, 6 SELL accepted with modification, 7 MAKE rejected, 8 unassessed
    # rejected. Columns in Outcome's order: accepted, with modification, rejected.
    assert {row.label: row.outcomes for row in p.cross} == {
        "MAKE": (0, 0, 1),
        "BUY": (1, 0, 0),
        "SELL": (0, 1, 0),
        "Not assessed": (0, 0, 1),
    }
    # 10, 4, 30 and 7 days: sorted 4, 7, 10, 30, so the median is (7 + 10) / 2.
    assert (p.decided, p.median_days) == (4, D("8.5"))


def test_an_odd_number_of_decisions_has_the_middle_one_as_median(districts):
    service = ServiceFactory(districts=[districts[0]])
    for days in (3.25, 1, 20):
        make_case(service, Status.DECIDED, decided_after=days, outcome=Outcome.REJECTED)
    p = dashboard.pipeline()
    assert (p.decided, p.median_days) == (3, D("3.3"))  # 1, 3.25, 20: 3.25, to one place


def test_nothing_yet_gives_zeros_and_no_median():
    p = dashboard.pipeline()
    assert p.standing == 0
    assert p.savings_total.saving == 0
    assert (p.decided, p.median_days) == (0, None)
    assert all(row.total == 0 for row in p.cross)


def test_the_saving_of_a_really_assessed_case_is_the_engines(districts):
    """Through the real submission and assessment: three years at £900,000 and £50,000 of
    transition costs against a net budget of £1m a year saves £250,000 over the term."""
    case = BusinessCaseFactory(complete=True, service=ServiceFactory(districts=[districts[0]]))
    workflow.submit(case=case, by=case.created_by)
    assessments.assess_case(case.pk)
    total = dashboard.pipeline().savings_total
    assert (total.bids, total.in_house, total.bid) == (1, D("3000000"), D("2750000"))
    assert total.saving == D("250000")


# --- Queries: the same at 5 cases and at 200 --------------------------------------------------


def many_cases(n: int, districts) -> None:
    """`n` cases in every status, most assessed, the decided ones with a decision, bulk-made."""
    services = [
        ServiceFactory(portfolio=portfolio, districts=list(districts))
        for portfolio in Portfolio.values
    ]
    organisation = OrganisationFactory()
    user = UserFactory(organisation=organisation)
    statuses = [s for s in Status.values if s != Status.DRAFT]
    cases = BusinessCase.objects.bulk_create(
        BusinessCase(
            public_id=uuid.uuid4(),
            organisation=organisation,
            service=services[i % len(services)],
            created_by=user,
            title=f"Case {i}",
            status=statuses[i % len(statuses)],
            outcome=Outcome.ACCEPTED if statuses[i % len(statuses)] in workflow.DECIDED else "",
            submitted_at=START,
        )
        for i in range(n)
    )
    framework = Framework.objects.current()
    Assessment.objects.bulk_create(
        Assessment(
            case=case,
            framework=framework,
            engine_version="test",
            scores=[],
            total="50.0",
            recommendation=Recommendation.BUY,
            whole_life=whole_life("1000000", "900000"),
        )
        for case in cases
    )
    decider = UserFactory(role=Role.COMMISSIONING_OFFICER)
    Decision.objects.bulk_create(
        Decision(case=case, outcome=case.outcome, reasons="Saves money.", decided_by=decider)
        for case in cases
        if case.status in workflow.DECIDED
    )


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_the_figures_take_six_queries_at_5_and_at_200_cases(districts, django_assert_num_queries):
    many_cases(5, districts)
    with django_assert_num_queries(6):
        small = dashboard.pipeline()
    many_cases(195, districts)
    with django_assert_num_queries(6):
        large = dashboard.pipeline()
    # Statuses in turn: the first 5 are all standing; of the next 195, every 7th is withdrawn.
    assert (small.savings_total.bids, large.savings_total.bids) == (5, 5 + 195 - 27)


def test_the_page_and_the_csv_make_as_many_queries_at_200_cases_as_at_5(client, member, districts):
    client.force_login(member)
    page = lambda: client.get(reverse("members:dashboard"))  # noqa: E731
    download = lambda: b"".join(client.get(reverse("members:dashboard-csv")).streaming_content)  # noqa: E731
    many_cases(5, districts)
    page()  # the session's first request renews it: not the dashboard's queries
    at_5 = count_queries(page), count_queries(download)
    many_cases(195, districts)
    at_200 = count_queries(page), count_queries(download)
    assert at_5 == at_200


# --- The page, its charts and the CSV ------------------------------------------------------------


def test_each_chart_is_an_image_with_a_title_a_description_and_a_table(client, member, hand_made):
    client.force_login(member)
    html = client.get(reverse("members:dashboard")).content.decode()
    for chart_id in ("status", "portfolio", "district", "savings", "target", "cross"):
        assert f'role="img" aria-labelledby="{chart_id}-chart-title {chart_id}-chart-desc"' in html
        assert f'<title id="{chart_id}-chart-title">' in html
        assert f'<desc id="{chart_id}-chart-desc">' in html
    assert "Adults: Proposed £1,100,000, Accepted £900,000" in html  # the savings' description
    assert html.count('<table class="govuk-table">') == 6
    assert "£10,000,000 (illustrative)" in html
    assert "8.5 days, over 4 decided cases" in html


def test_labels_are_escaped_in_the_charts_and_tables(client, member):
    district = District.objects.create(name='<script>alert("x")</script> & Co', slug="xss")
    BusinessCaseFactory(
        service=ServiceFactory(districts=[district]), status=Status.SUBMITTED, submitted_at=START
    )
    client.force_login(member)
    html = client.get(reverse("members:dashboard")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html


def test_the_csv_holds_every_figure(client, member, hand_made):
    client.force_login(member)
    response = client.get(reverse("members:dashboard-csv"))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="right-to-bid-pipeline-{today}.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "figure", "measure", "value"]
    found = {tuple(row[:3]): row[3] for row in rows[1:]}
    assert found["Business cases by status", "Decided", "Cases"] == "3"
    assert (
        found["Business cases by portfolio", "Adults", "Cases submitted and not withdrawn"] == "5"
    )
    assert (
        found["Business cases by district", "County-wide", "Cases submitted and not withdrawn"]
        == "2"
    )
    assert found["Savings by portfolio", "Adults", "Saving proposed (£)"] == "1099999.50"
    assert found["Savings by portfolio", "Place-based", "Saving proposed (£)"] == "-400000.00"
    assert found["Savings by portfolio", "All portfolios", "Saving accepted (£)"] == "900000.00"
    assert found["Savings against the target", "Target (illustrative)", "£"] == "10000000"
    assert found["Savings against the target", "Saving proposed", "% of the target"] == "7.0"
    accepted = Outcome.ACCEPTED.label
    assert found["Automatic recommendation against the decision", "BUY", accepted] == "1"
    assert found["Time from submission to decision", "Decided cases", "Median days"] == "8.5"
    assert len(rows) == 1 + 7 + 4 + (District.objects.count() + 1) + 5 * 7 + 3 + 4 * 3 + 2
