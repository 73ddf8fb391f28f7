"""The largest counts and amounts the forms allow are scored, stored and shown without error.

The forms' maxima (bids/forms.py) exist so that nothing downstream overflows: Decimal arithmetic
has 28 significant digits by default, and a rounding (`quantize`) past them raises. These tests
put the extremes through scoring, sensitivity and a real assessment."""

import json
from dataclasses import replace
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse

from bids import workflow
from bids.factories import BusinessCaseFactory, complete_answers
from bids.forms import (
    MAX_APPRENTICESHIPS,
    MAX_LOCAL_JOBS,
    MAX_STAFF_TRANSFERRING,
    MAX_TERM_YEARS,
    MAX_VOLUNTEERING_HOURS,
)
from bids.models import BusinessCase
from evaluation import assessments, rankings, sensitivity
from evaluation.figures import Figures, Partner, Risk
from evaluation.scoring import DEFAULT_CRITERIA, assess

MOST = Decimal("999999999999.99")  # a MoneyField's 14 digits, 2 of them pence
LEAST = Decimal("0.01")
MAX_ITEMS = 50  # sections.Repeating.max_items


def largest(*, price: Decimal, net: Decimal, term: int) -> Figures:
    return Figures(
        net_budget=net,
        gross_budget=MOST,
        scope="whole",
        delivery_model="cooperative",
        term_years=term,
        yearly_prices=(price,) * term,
        transition_costs=MOST,
        investment=MOST,
        external_income=MOST,
        grant=MOST,
        working_capital=MOST,
        bidder_turnover=MOST,
        bidder_reserves=MOST,
        staff_transferring=MAX_STAFF_TRANSFERRING,
        pensions="comparable",
        has_kpis=True,
        partners=(Partner("consortium", MOST, MOST),) * MAX_ITEMS,
        local_jobs=MAX_LOCAL_JOBS,
        apprenticeships=MAX_APPRENTICESHIPS,
        volunteering_hours=MAX_VOLUNTEERING_HOURS,
        kent_spend_percent=100,
        risks=(Risk("high", "high"),) * MAX_ITEMS,
    )


@pytest.mark.parametrize("price", [LEAST, MOST], ids=["least-price", "most-price"])
@pytest.mark.parametrize("net", [Decimal(0), LEAST, MOST], ids=["no-budget", "penny", "most"])
@pytest.mark.parametrize("term", [1, MAX_TERM_YEARS])
def test_the_largest_counts_and_amounts_are_scored_whatever_the_price(price, net, term):
    figures = largest(price=price, net=net, term=term)
    result = assess(figures, DEFAULT_CRITERIA)
    assert Decimal(0) <= result.total <= Decimal(100)
    assert all(0 <= s.score <= 5 for s in result.scores)
    json.dumps(result.as_dict())  # stored as JSON
    assert sensitivity.sensitivity(figures, DEFAULT_CRITERIA, samples=10).as_dict()
    rivals = {"A": figures, "B": largest(price=MOST, net=net, term=term)}
    assert sensitivity.ranking(rivals, DEFAULT_CRITERIA, samples=10).as_dict()


def test_a_count_past_the_maximum_would_have_broken_scoring():
    """Why the maxima matter: 99999999999999999999 jobs at a penny a year cannot be rounded to
    one decimal place within Decimal's precision."""
    figures = largest(price=LEAST, net=MOST, term=1)
    with pytest.raises(InvalidOperation):
        assess(replace(figures, local_jobs=99999999999999999999), DEFAULT_CRITERIA)


@pytest.mark.django_db
def test_a_case_with_the_largest_answers_is_submitted_assessed_and_shown(
    client, admin_user, django_capture_on_commit_callbacks
):
    answers = complete_answers()
    finance = answers["finance"]["data"]
    finance["contract_term_years"] = [str(MAX_TERM_YEARS)]
    for year in range(1, MAX_TERM_YEARS + 1):
        finance[f"price_year_{year}"] = ["£999,999,999,999.99"]
    for field in ("transition_costs", "investment", "external_income", "working_capital"):
        finance[field] = ["999999999999.99"]
    finance["big_society_grant"] = ["999999999999.99"]
    answers["delivery"]["data"]["staff_transferring"] = [str(MAX_STAFF_TRANSFERRING)]
    social = answers["social_value"]["data"]
    social["local_jobs"] = [str(MAX_LOCAL_JOBS)]
    social["apprenticeships"] = [str(MAX_APPRENTICESHIPS)]
    social["volunteering_hours"] = [str(MAX_VOLUNTEERING_HOURS)]
    social["kent_spend_percent"] = ["100"]
    case = BusinessCaseFactory(
        answers=answers,
        service__net_budget=LEAST,
        organisation__annual_turnover=MOST,
        organisation__reserves=MOST,
    )
    client.force_login(case.created_by)
    finance_page = client.get(
        reverse("bids:section", kwargs={"public_id": case.public_id, "key": "finance"})
    )
    assert finance_page.status_code == 200
    assert client.get(reverse("bids:check", kwargs={"public_id": case.public_id})).status_code == (
        200
    )
    with django_capture_on_commit_callbacks(execute=False):
        workflow.submit(case=case, by=case.created_by)
    rival = BusinessCaseFactory(complete=True, service=case.service)
    with django_capture_on_commit_callbacks(execute=False):
        workflow.submit(case=rival, by=rival.created_by)
    # Ranked against the rival's stored totals: the rival is assessed first.
    assessments.assess_case(rival.pk)

    assessment = assessments.assess_case(case.pk)

    assert assessment is not None
    ranked = [b.id for b in rankings.ranking_of(assessment).order]
    assert sorted(ranked) == sorted([case.reference, rival.reference])
    assert BusinessCase.objects.get(pk=case.pk).assessed_at is not None
    client.force_login(admin_user)
    page = client.get(reverse("admin:evaluation_assessment_change", args=[assessment.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:bids_businesscase_change", args=[case.pk])).status_code == 200
