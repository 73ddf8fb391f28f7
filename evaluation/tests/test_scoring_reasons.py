"""The reasons name every signal the deciding rule overrode, so that an officer reading MAKE knows
what else the figures said. Expected sentences are worked out by hand from docs/scoring.md; the
figures start from test_scoring.BASE (scores worked out in
test_scoring.test_cheaper_and_deliverable_gives_buy)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from evaluation.figures import Figures, Partner, Risk
from evaluation.scoring import DEFAULT_CRITERIA, CriterionSpec, assess
from evaluation.tests.test_scoring import BASE, figures, scores_of

D = Decimal

# BASE's saving: £3,000,000 - £2,700,000 = £300,000 (10.0%); in present value
# £2,801,636.98 - £2,521,473.28 = £280,163.70 (10.0%).
BASE_SAVING = "the bid would save KCC £300,000 over the term (10.0%) and £280,164 in today's money"
WEAK = {  # deliverability 2: working capital 1 + turnover 1 + reserves 0 against £900,000
    "working_capital": D("100000"),
    "bidder_turnover": D("1000000"),
    "bidder_reserves": D("50000"),
}
# A slim bid (test_scoring.test_cheaper_and_deliverable_but_below_the_pass_mark_gives_make):
# £990,000 a year, a trading company with no volunteering and no jobs for Kent residents.
SLIM = {
    "yearly_prices": (D("990000"),) * 3,
    "delivery_model": "trading_company",
    "volunteering_hours": 0,
    "local_jobs": 0,
}


def overridden(result) -> list[str]:
    return [r for r in result.reasons if r.startswith("Overridden:")]


def test_a_disqualified_bid_names_every_signal_it_overrode_in_rule_order():
    # Staff transfer without pension protection: risk 0, below its threshold of 1. Income from
    # others £300,000 against £900,000: 33.3% -> 4. Capabilities loses the LGPS transfer's 2: 3.
    result = assess(
        figures(pensions="not_applicable", external_income=D("300000")), DEFAULT_CRITERIA
    )
    assert scores_of(result) == {
        "term_cost": 4,
        "whole_life_cost": 4,
        "trading_income": 4,
        "deliverability": 5,
        "risk": 0,
        "customer": 4,
        "communities": 4,
        "clout": 5,
        "cost": 4,
        "capabilities": 3,
        "social_value": 5,
    }
    # 60 + 60 + 40 + 50 + 0 + 24 + 24 + 30 + 24 + 18 + 50 = 380 / 500 -> 76.0
    assert result.total == D("76.0")
    # public value: 24 + 24 + 30 + 24 + 18 + 50 = 170 of 5 x 40 = 200 -> 85.0%
    assert result.reasons[2:] == (
        "Risk scored 0, below its threshold of 1.",
        "MAKE: the bid is disqualified, so the service stays in-house.",
        f"Overridden: {BASE_SAVING} (10.0%), but the bid is disqualified.",
        "Overridden: deliverability and financial standing scores 5, enough for a change of "
        "provider (3 or more), but the bid is disqualified.",
        "Overridden: the weighted total of 76.0 reaches the pass mark of 50.0, but the bid is "
        "disqualified.",
        "Overridden: trading income scores 4 (income from others of £300,000 a year, 33.3% of "
        "the yearly price), a sell signal, but the bid is disqualified.",
        "Overridden: the public-value criteria score 85.0% of their marks, strong public value "
        "(70.0% or more), but the bid is disqualified.",
    )


# --- The sell signal: named on every MAKE, whichever rule decided --------------------------------


@pytest.mark.parametrize(
    ("changes", "signal", "but"),
    [
        (
            {"pensions": "not_applicable"},
            "£300,000 a year, 33.3% of the yearly price",
            "the bid is disqualified",
        ),
        (
            # £300,000 against £1,050,000: 28.6% -> 4
            {"yearly_prices": (D("1050000"),) * 3},
            "£300,000 a year, 28.6% of the yearly price",
            "the bid is not cheaper than keeping the service in-house over the term or in "
            "today's money",
        ),
        (
            WEAK,
            "£300,000 a year, 33.3% of the yearly price",
            "deliverability and financial standing scores 2, below the 3 needed",
        ),
        (
            # SLIM with no spend in Kent (clout 0, social value 1) and income £300,000 against
            # £990,000, 30.3% -> 4: 15 + 15 + 40 + 50 + 40 + 24 + 0 + 0 + 6 + 30 + 10 = 230
            # / 500 -> 46.0
            {**SLIM, "kent_spend_percent": 0},
            "£300,000 a year, 30.3% of the yearly price",
            "the weighted total of 46.0 is below the pass mark of 50.0",
        ),
    ],
    ids=["disqualified", "not_cheaper", "not_deliverable", "below_pass_mark"],
)
def test_a_sell_signal_is_named_on_every_make(changes, signal, but):
    result = assess(figures(external_income=D("300000"), **changes), DEFAULT_CRITERIA)
    assert result.recommendation == "MAKE"
    assert scores_of(result)["trading_income"] == 4
    assert (
        f"Overridden: trading income scores 4 (income from others of {signal}), a sell signal, "
        f"but {but}."
    ) in result.reasons


def test_no_sell_signal_is_named_when_trading_income_scores_under_4():
    # £224,000 against £1,050,000: 21.3% -> 3; not cheaper, so MAKE
    result = assess(
        figures(yearly_prices=(D("1050000"),) * 3, external_income=D("224000")),
        DEFAULT_CRITERIA,
    )
    assert scores_of(result)["trading_income"] == 3
    assert result.recommendation == "MAKE"
    assert not any("sell signal" in r for r in result.reasons)
    assert not any(r.startswith("Also:") for r in result.reasons)  # the note is for BUY only


def test_a_sell_recommendation_overrides_nothing():
    result = assess(figures(external_income=D("300000")), DEFAULT_CRITERIA)
    assert result.recommendation == "SELL"
    assert result.reasons[-1].startswith("SELL:")
    assert overridden(result) == []


# --- The saving -----------------------------------------------------------------------------


def test_a_saving_is_not_named_when_the_bid_is_dearer_on_both_measures():
    # Disqualified (risk 0) and £1,050,000 a year: dearer over the term and in present value.
    result = assess(
        figures(pensions="not_applicable", yearly_prices=(D("1050000"),) * 3), DEFAULT_CRITERIA
    )
    assert result.recommendation == "MAKE"
    assert not any("would save" in r for r in result.reasons)


def test_a_saving_on_one_measure_is_named_when_the_other_decides_make():
    # Transition costs of £290,000: £10,000 (0.3%) cheaper over the term, dearer in present
    # value (test_scoring.test_cheaper_in_cash_but_not_in_present_value_gives_make).
    result = assess(figures(transition_costs=D("290000")), DEFAULT_CRITERIA)
    assert overridden(result)[0] == (
        "Overridden: the bid would save KCC £10,000 over the term (0.3%), but the bid is not "
        "cheaper than keeping the service in-house in today's money."
    )


# --- Deliverability, the pass mark and public value ------------------------------------------


def test_deliverability_is_not_named_when_it_is_the_criterion_that_failed():
    # A framework asking deliverability for 4; turnover not given: 2 + 0 + 1 = 3, which fails
    # it, though 3 would be enough for a change of provider.
    strict = [replace(c, threshold=4) if c.key == "deliverability" else c for c in DEFAULT_CRITERIA]
    result = assess(figures(bidder_turnover=None), strict)
    assert scores_of(result)["deliverability"] == 3
    assert result.failed_thresholds == ("deliverability",)
    assert "Deliverability and financial standing scored 3, below its threshold of 4." in (
        result.reasons
    )
    assert not any(r.startswith("Overridden: deliverability") for r in result.reasons)


def test_deliverability_is_named_when_another_criterion_disqualified_the_bid():
    result = assess(figures(pensions="not_applicable"), DEFAULT_CRITERIA)
    assert result.failed_thresholds == ("risk",)
    assert (
        "Overridden: deliverability and financial standing scores 5, enough for a change of "
        "provider (3 or more), but the bid is disqualified."
    ) in result.reasons


def test_a_total_under_the_pass_mark_is_not_named():
    # Not cheaper and 42.4 (test_scoring.test_a_bid_costing_more_than_in_house_over_the_term_...)
    result = assess(figures(yearly_prices=(D("1050000"),) * 3), DEFAULT_CRITERIA)
    assert result.total == D("42.4")
    assert not any("reaches the pass mark" in r for r in result.reasons)


def test_weak_public_value_is_not_named():
    # Not cheaper, and public value weak: no KPIs, part of the service (customer 0); a trading
    # company, no volunteering (communities 0); no jobs, no spend in Kent (clout 0); cost 0;
    # no apprenticeships, LGPS transfer (capabilities 2); social value 0: 12 of 200 -> 6.0%.
    weak = figures(
        yearly_prices=(D("1050000"),) * 3,
        has_kpis=False,
        scope="part",
        delivery_model="trading_company",
        volunteering_hours=0,
        local_jobs=0,
        kent_spend_percent=0,
        apprenticeships=0,
    )
    result = assess(weak, DEFAULT_CRITERIA)
    assert result.recommendation == "MAKE"
    assert not any("public-value" in r for r in result.reasons)


def test_a_framework_without_public_value_criteria_names_no_public_value():
    make_buy_sell = [c for c in DEFAULT_CRITERIA if c.group == "make_buy_sell"]
    result = assess(figures(pensions="not_applicable"), make_buy_sell)
    assert result.recommendation == "MAKE"
    assert not any("public-value" in r for r in result.reasons)


def test_public_value_is_weighed_by_the_frameworks_own_groups():
    # Only social value (5) counted as public value: 100% of its marks.
    criteria = [
        CriterionSpec("risk", "make_buy_sell", D(1), 1),
        CriterionSpec("social_value", "public_value", D(1)),
    ]
    result = assess(figures(pensions="not_applicable"), criteria)
    assert (
        "Overridden: the public-value criteria score 100.0% of their marks, strong public value "
        "(70.0% or more), but the bid is disqualified."
    ) in result.reasons


# --- On BUY: a near sell signal is noted -------------------------------------------------------


def test_a_buy_with_trading_income_one_short_of_the_sell_signal_notes_it():
    # £224,000 / £900,000 = 24.9% -> 3
    result = assess(figures(external_income=D("224000")), DEFAULT_CRITERIA)
    assert result.recommendation == "BUY"
    assert result.reasons[-2].startswith("BUY:")
    assert result.reasons[-1] == (
        "Also: trading income scores 3 (income from others of £224,000 a year, 24.9% of the "
        "yearly price), close to a sell signal, but below the 4 needed to recommend SELL."
    )


def test_a_buy_with_trading_income_of_2_notes_nothing():
    # £89,000 / £900,000 = 9.9% -> 2
    result = assess(figures(external_income=D("89000")), DEFAULT_CRITERIA)
    assert result.recommendation == "BUY"
    assert result.reasons[-1].startswith("BUY:")


def test_a_buy_overrides_nothing_even_with_strong_public_value():
    result = assess(BASE, DEFAULT_CRITERIA)  # public value 91.0%
    assert result.recommendation == "BUY"
    assert overridden(result) == []


# --- docs/scoring.md's worked example ----------------------------------------------------------

LEGAL_SERVICES = Figures(
    net_budget=D("8224000"),
    gross_budget=D("9335200"),
    scope="whole",
    delivery_model="mutual",
    term_years=5,
    yearly_prices=(D("7600000"), D("7500000"), D("7400000"), D("7400000"), D("7400000")),
    transition_costs=D("250000"),
    investment=D(0),
    external_income=D("2000000"),
    grant=D(0),
    working_capital=D("2000000"),
    bidder_turnover=None,
    bidder_reserves=None,
    staff_transferring=140,
    pensions="lgps",
    has_kpis=True,
    partners=(Partner("consortium", D("20000000"), D("3000000")),),
    local_jobs=150,
    apprenticeships=10,
    volunteering_hours=300,
    kent_spend_percent=35,
    risks=(Risk("medium", "high"), Risk("low", "medium")),
)


def test_the_documented_worked_example_sells():
    result = assess(LEGAL_SERVICES, DEFAULT_CRITERIA)
    assert (result.total, result.recommendation) == (D("72.8"), "SELL")
    # £2,000,000 / £7,460,000 = 26.8% -> 4
    assert result.reasons[-1] == (
        "SELL: the bid is cheaper, deliverable (score 5) and its weighted total of 72.8 reaches "
        "50.0; trading income scores 4 (income from others of £2,000,000 a year, 26.8% of the "
        "yearly price), which shows a market for the service, so KCC should trade it, for "
        "example through a trading company with this bidder."
    )


def test_the_documented_worked_example_with_a_4m_grant_names_what_it_overrode():
    # £37,300,000 + £250,000 + £4,000,000 = £41,550,000 against £41,120,000: £430,000 more.
    # Present value £33,947,975.36 + £4,000,000 against £37,131,790.74: dearer too. Both cost
    # scores fall from 3 to 0: 364 - 45 - 45 = 274 / 500 -> 54.8. The grant is not a price, so
    # deliverability (5), trading income (4) and the recurring cost (4) are as they were.
    # Public value: 24 + 18 + 24 + 24 + 24 + 40 = 154 of 200 -> 77.0%.
    result = assess(replace(LEGAL_SERVICES, grant=D("4000000")), DEFAULT_CRITERIA)
    assert result.total == D("54.8")
    but = (
        "but the bid is not cheaper than keeping the service in-house over the term or in "
        "today's money."
    )
    assert result.reasons == (
        "Over the 5-year term the bid would cost KCC £41,550,000 (yearly prices, transition "
        "costs and any grant) against £41,120,000 if the service stays in-house: £430,000 more "
        "than keeping it in-house.",
        "In today's money (each year discounted at 3.5%, the HM Treasury Green Book rate) the "
        "bid costs £37,947,975 against £37,131,791 in-house: £816,185 more than keeping it "
        "in-house.",
        "MAKE: the bid is not cheaper than keeping the service in-house over the term or in "
        "today's money.",
        "Overridden: deliverability and financial standing scores 5, enough for a change of "
        f"provider (3 or more), {but}",
        f"Overridden: the weighted total of 54.8 reaches the pass mark of 50.0, {but}",
        "Overridden: trading income scores 4 (income from others of £2,000,000 a year, 26.8% of "
        f"the yearly price), a sell signal, {but}",
        "Overridden: the public-value criteria score 77.0% of their marks, strong public value "
        f"(70.0% or more), {but}",
    )


def test_the_documented_worked_example_with_less_income_buys_with_a_note():
    # £1,800,000 / £7,460,000 = 24.1% -> 3: 364 - 10 = 354 / 500 -> 70.8
    result = assess(replace(LEGAL_SERVICES, external_income=D("1800000")), DEFAULT_CRITERIA)
    assert (result.total, result.recommendation) == (D("70.8"), "BUY")
    assert result.reasons[-1] == (
        "Also: trading income scores 3 (income from others of £1,800,000 a year, 24.1% of the "
        "yearly price), close to a sell signal, but below the 4 needed to recommend SELL."
    )
