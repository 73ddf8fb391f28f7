"""Scoring as pure functions: no database. Expected values are worked out by hand in the comments,
from the rules in docs/scoring.md, never copied from the code's output."""

from dataclasses import replace
from decimal import Decimal

import pytest

from evaluation.figures import Figures, Partner, Risk
from evaluation.scoring import (
    DEFAULT_CRITERIA,
    DEFAULT_TITLES,
    ENGINE_VERSION,
    Assessment,
    CriterionSpec,
    assess,
    evaluate,
)
from evaluation.scoring.money import present_value

D = Decimal

# A cheaper, deliverable bid for a service with a net budget of £1,000,000 a year. Every test
# changes only what it is about. Its scores with the default criteria (worked out in
# test_cheaper_and_deliverable_gives_buy) are:
#   term_cost 4, whole_life_cost 4, trading_income 0, deliverability 5, risk 4,
#   customer 4, communities 4, clout 5, cost 4, capabilities 5, social_value 5.
BASE = Figures(
    net_budget=D("1000000"),
    gross_budget=D("1200000"),
    scope="whole",
    delivery_model="cooperative",
    term_years=3,
    yearly_prices=(D("900000"),) * 3,
    transition_costs=D(0),
    investment=D("50000"),
    external_income=D(0),
    grant=D(0),
    working_capital=D("250000"),
    bidder_turnover=D("2000000"),
    bidder_reserves=D("100000"),
    staff_transferring=20,
    pensions="lgps",
    has_kpis=True,
    partners=(),
    local_jobs=20,
    apprenticeships=2,
    volunteering_hours=600,
    kent_spend_percent=60,
    risks=(Risk("medium", "medium"),),
)


def figures(**changes) -> Figures:
    if "yearly_prices" in changes and "term_years" not in changes:
        changes["term_years"] = len(changes["yearly_prices"])
    return replace(BASE, **changes)


def score(key: str, **changes) -> int:
    return evaluate(figures(**changes)).results[key].score


def scores_of(result: Assessment) -> dict[str, int]:
    return {s.key: s.score for s in result.scores}


# --- The four recommendations the issue asks for ---------------------------------------------


def test_cheaper_and_deliverable_gives_buy():
    result = assess(BASE, DEFAULT_CRITERIA)
    # term_cost: 3 x £900,000 = £2,700,000 against 3 x £1,000,000: saving 10.0% -> 4
    # whole_life_cost: both flat, so the present-value saving is also 10.0% -> 4
    # trading_income: no income from others -> 0
    # deliverability: working capital £250,000 >= 3 months of £900,000 (£225,000) 2;
    #   turnover £2,000,000 >= 2 x £900,000 2; reserves £100,000 >= £90,000 1 -> 5
    # risk: 5, minus 1 for a TUPE transfer (LGPS, worst risk medium x medium) -> 4
    # customer: KPIs 3 + whole service 1 -> 4
    # communities: co-operative 2 + 600 volunteering hours 2 -> 4
    # clout: 20 jobs per £0.9m = 22.2 per £1m 2 + 60% Kent spend 3 -> 5
    # cost: last year £900,000 against £1,000,000: 10.0% -> 4
    # capabilities: 2 apprenticeships per £0.9m = 2.2 per £1m 3 + LGPS transfer 2 -> 5
    # social_value: jobs 1 + apprenticeships 1 + volunteering 1 + Kent spend >= 50% 2 -> 5
    assert scores_of(result) == {
        "term_cost": 4,
        "whole_life_cost": 4,
        "trading_income": 0,
        "deliverability": 5,
        "risk": 4,
        "customer": 4,
        "communities": 4,
        "clout": 5,
        "cost": 4,
        "capabilities": 5,
        "social_value": 5,
    }
    # Weighted: 15x4 + 15x4 + 10x0 + 10x5 + 10x4 + 6x4 + 6x4 + 6x5 + 6x4 + 6x5 + 10x5
    #         = 60 + 60 + 0 + 50 + 40 + 24 + 24 + 30 + 24 + 30 + 50 = 392 of 5 x 100 = 500
    # Total: 392 / 500 x 100 = 78.4
    assert result.total == D("78.4")
    assert result.recommendation == "BUY"
    assert result.failed_thresholds == ()
    assert result.reasons == (
        "Over the 3-year term the bid would cost KCC £2,700,000 (yearly prices, transition "
        "costs and any grant) against £3,000,000 if the service stays in-house: a saving of "
        "10.0%.",
        "In today's money (each year discounted at 3.5%, the HM Treasury Green Book rate) the "
        "bid costs £2,521,473 against £2,801,637 in-house: a saving of 10.0%.",
        "BUY: the bid is cheaper, deliverable (score 5) and its weighted total of 78.4 reaches "
        "50.0: commission this bidder.",
    )
    # 900,000 x (1/1.035 + 1/1.035^2 + 1/1.035^3) = 900,000 x 2.80163698 = 2,521,473.28
    assert result.whole_life["npv_bid"] == D("2521473.28")
    assert result.whole_life["npv_in_house"] == D("2801636.98")
    assert result.whole_life["npv_saving"] == D("280163.70")
    assert result.whole_life["cost_bid"] == D("2700000")
    assert result.whole_life["cost_in_house"] == D("3000000")


def test_a_bid_costing_more_than_in_house_over_the_term_gives_make():
    result = assess(figures(yearly_prices=(D("1050000"),) * 3), DEFAULT_CRITERIA)
    # £3,150,000 against £3,000,000: £150,000 more, saving -5.0%: term, whole-life, cost 0.
    # deliverability against £1,050,000: working capital £250,000 covers 1 to 3 months 1;
    #   turnover £2,000,000 between 1 and 2 times 1; reserves £100,000 under £105,000 0 -> 2
    # capabilities: 2 apprenticeships per £1.05m = 1.9 per £1m 2 + LGPS 2 -> 4
    # the rest as BASE.
    assert scores_of(result) == {
        "term_cost": 0,
        "whole_life_cost": 0,
        "trading_income": 0,
        "deliverability": 2,
        "risk": 4,
        "customer": 4,
        "communities": 4,
        "clout": 5,
        "cost": 0,
        "capabilities": 4,
        "social_value": 5,
    }
    # 0 + 0 + 0 + 20 + 40 + 24 + 24 + 30 + 0 + 24 + 50 = 212 / 500 -> 42.4
    assert result.total == D("42.4")
    assert result.recommendation == "MAKE"
    assert result.failed_thresholds == ()  # deliverability 2 meets its threshold of 2
    assert result.reasons[0].endswith("£150,000 more than keeping it in-house.")
    # Overridden: no saving, deliverability 2, total 42.4 and trading income 0 signal nothing;
    # public value does: 6x4 + 6x4 + 6x5 + 6x0 + 6x4 + 10x5 = 152 of 5 x 40 = 200 -> 76.0%.
    assert result.reasons[-2:] == (
        "MAKE: the bid is not cheaper than keeping the service in-house over the term or in "
        "today's money.",
        "Overridden: the public-value criteria score 76.0% of their marks, strong public value "
        "(70.0% or more), but the bid is not cheaper than keeping the service in-house over the "
        "term or in today's money.",
    )


def test_strong_external_trading_income_gives_sell():
    result = assess(figures(external_income=D("300000")), DEFAULT_CRITERIA)
    # £300,000 a year against an average yearly price of £900,000: 33.3%, 25% to under 50% -> 4
    assert scores_of(result)["trading_income"] == 4
    # BASE's 392 + 10 x 4 = 432 / 500 -> 86.4
    assert result.total == D("86.4")
    assert result.recommendation == "SELL"
    assert result.reasons[-1] == (
        "SELL: the bid is cheaper, deliverable (score 5) and its weighted total of 86.4 reaches "
        "50.0; trading income scores 4 (income from others of £300,000 a year, 33.3% of the "
        "yearly price), which shows a market for the service, so KCC should trade it, for "
        "example through a trading company with this bidder."
    )


def test_trading_income_below_a_quarter_of_the_price_gives_buy_not_sell():
    # £224,000 / £900,000 = 24.9% -> 3, under the SELL signal of 4
    result = assess(figures(external_income=D("224000")), DEFAULT_CRITERIA)
    assert scores_of(result)["trading_income"] == 3
    assert result.recommendation == "BUY"


def test_a_failed_threshold_disqualifies_the_bid():
    # Working capital £50,000 is under 1 month of £900,000 (£75,000): 0; turnover and reserves
    # not given: 0 and 0 -> deliverability 0, below its threshold of 2.
    weak = figures(working_capital=D("50000"), bidder_turnover=None, bidder_reserves=None)
    result = assess(weak, DEFAULT_CRITERIA)
    assert scores_of(result)["deliverability"] == 0
    # BASE's 392 - 10 x 5 = 342 / 500 -> 68.4: high enough, yet disqualified
    assert result.total == D("68.4")
    assert result.failed_thresholds == ("deliverability",)
    assert result.recommendation == "MAKE"
    # Overridden, in rule order: the saving (£3,000,000 - £2,700,000 = £300,000, 10.0%; in
    # present value £2,801,636.98 - £2,521,473.28 = £280,163.70, 10.0%), the total of 68.4, and
    # public value (6x4 + 6x4 + 6x5 + 6x4 + 6x5 + 10x5 = 182 of 200 -> 91.0%). Deliverability
    # is the criterion that failed, and trading income scores 0: neither is named.
    assert result.reasons[-5:] == (
        "Deliverability and financial standing scored 0, below its threshold of 2.",
        "MAKE: the bid is disqualified, so the service stays in-house.",
        "Overridden: the bid would save KCC £300,000 over the term (10.0%) and £280,164 in "
        "today's money (10.0%), but the bid is disqualified.",
        "Overridden: the weighted total of 68.4 reaches the pass mark of 50.0, but the bid is "
        "disqualified.",
        "Overridden: the public-value criteria score 91.0% of their marks, strong public value "
        "(70.0% or more), but the bid is disqualified.",
    )
    failed = next(s for s in result.scores if s.key == "deliverability")
    assert failed.passed is False
    assert failed.threshold == 2


def test_staff_transferring_without_pension_protection_fails_the_risk_threshold():
    result = assess(figures(pensions="not_applicable"), DEFAULT_CRITERIA)
    assert scores_of(result)["risk"] == 0
    assert result.failed_thresholds == ("risk",)
    assert result.recommendation == "MAKE"
    assert "Risk scored 0, below its threshold of 1." in result.reasons


def test_cheaper_in_cash_but_not_in_present_value_gives_make():
    # Transition costs of £290,000 are paid at the start, undiscounted.
    # Over the term: £2,700,000 + £290,000 = £2,990,000 against £3,000,000: 0.3% cheaper.
    # Present value: £2,521,473.28 + £290,000 = £2,811,473.28 against £2,801,636.98: dearer.
    result = assess(figures(transition_costs=D("290000")), DEFAULT_CRITERIA)
    assert result.whole_life["npv_bid"] == D("2811473.28")
    assert scores_of(result)["term_cost"] == 1
    assert scores_of(result)["whole_life_cost"] == 0
    assert result.recommendation == "MAKE"
    # 15x1 + 15x0 + 10x0 + 10x5 + 10x4 + 6x4 + 6x4 + 6x5 + 6x4 + 6x5 + 10x5 = 287 / 500 -> 57.4
    assert result.total == D("57.4")
    # Overridden: the cash saving (£3,000,000 - £2,990,000 = £10,000, 0.3%), deliverability 5,
    # the total of 57.4 and public value (182 of 200 -> 91.0%, as BASE).
    but = "but the bid is not cheaper than keeping the service in-house in today's money."
    assert result.reasons[-5:] == (
        "MAKE: the bid is not cheaper than keeping the service in-house in today's money.",
        f"Overridden: the bid would save KCC £10,000 over the term (0.3%), {but}",
        "Overridden: deliverability and financial standing scores 5, enough for a change of "
        f"provider (3 or more), {but}",
        f"Overridden: the weighted total of 57.4 reaches the pass mark of 50.0, {but}",
        "Overridden: the public-value criteria score 91.0% of their marks, strong public value "
        f"(70.0% or more), {but}",
    )


def test_cheaper_but_not_deliverable_enough_gives_make():
    # Against £900,000: working capital £100,000 covers 1 to 3 months 1; turnover £1,000,000
    # is 1 to 2 times 1; reserves £50,000 are under 10% (£90,000) 0 -> 2.
    weak = figures(
        working_capital=D("100000"), bidder_turnover=D("1000000"), bidder_reserves=D("50000")
    )
    result = assess(weak, DEFAULT_CRITERIA)
    assert scores_of(result)["deliverability"] == 2  # meets the threshold, not the bar for BUY
    assert result.failed_thresholds == ()
    assert result.recommendation == "MAKE"
    # BASE's 392 - 10 x 3 = 362 / 500 -> 72.4
    assert result.total == D("72.4")
    # Overridden: the saving (as BASE), the total of 72.4, public value (as BASE, 91.0%).
    but = "but deliverability and financial standing scores 2, below the 3 needed."
    assert result.reasons[-4:] == (
        "MAKE: the bid is cheaper, but deliverability and financial standing scores 2, below "
        "the 3 needed to recommend a change of provider.",
        "Overridden: the bid would save KCC £300,000 over the term (10.0%) and £280,164 in "
        f"today's money (10.0%), {but}",
        f"Overridden: the weighted total of 72.4 reaches the pass mark of 50.0, {but}",
        "Overridden: the public-value criteria score 91.0% of their marks, strong public value "
        f"(70.0% or more), {but}",
    )


def test_cheaper_and_deliverable_but_below_the_pass_mark_gives_make():
    # A 1.0% saving (term 1, whole-life 1, cost 1), a trading company with no volunteering
    # (communities 0; social value loses its volunteering point: 4), the rest as BASE:
    # 15 + 15 + 0 + 50 + 40 + 24 + 0 + 30 + 6 + 30 + 40 = 250 / 500 -> 50.0: BUY, just.
    # Without jobs for Kent residents clout loses 2 (6 x 2 = 12) and social value 1 (10):
    # 250 - 12 - 10 = 228 / 500 -> 45.6: below the pass mark.
    slim = figures(
        yearly_prices=(D("990000"),) * 3,
        delivery_model="trading_company",
        volunteering_hours=0,
    )
    assert assess(slim, DEFAULT_CRITERIA).total == D("50.0")
    assert assess(slim, DEFAULT_CRITERIA).recommendation == "BUY"
    result = assess(replace(slim, local_jobs=0), DEFAULT_CRITERIA)
    assert result.total == D("45.6")
    assert result.recommendation == "MAKE"
    # Overridden: the saving (£3,000,000 - £2,970,000 = £30,000, 1.0%; in present value
    # £2,801,636.98 - 0.99 x £2,801,636.98 = £28,016.37, 1.0%) and deliverability 5 (against
    # £990,000: working capital £250,000 >= £247,500 2, turnover £2m >= £1.98m 2, reserves
    # £100,000 >= £99,000 1). Not public value: customer 4, communities 0, clout 0 + 3 = 3,
    # cost 1, capabilities 3 + 2 = 5, social value 3: 24 + 0 + 18 + 6 + 30 + 30 = 108 of 200,
    # 54.0%, under 70%.
    but = "but the weighted total of 45.6 is below the pass mark of 50.0."
    assert result.reasons[-3:] == (
        "MAKE: the bid is cheaper and deliverable, but its weighted total of 45.6 is below the "
        "50.0 needed to recommend a change of provider.",
        "Overridden: the bid would save KCC £30,000 over the term (1.0%) and £28,016 in today's "
        f"money (1.0%), {but}",
        "Overridden: deliverability and financial standing scores 5, enough for a change of "
        f"provider (3 or more), {but}",
    )


def test_a_part_bid_has_its_cost_scores_capped_and_a_warning():
    # £600,000 a year against the whole service's £1,000,000: 40% "saving", capped at 3.
    result = assess(figures(scope="part", yearly_prices=(D("600000"),) * 3), DEFAULT_CRITERIA)
    got = scores_of(result)
    assert (got["term_cost"], got["whole_life_cost"], got["cost"]) == (3, 3, 3)
    assert "capped at 3" in next(s.rule for s in result.scores if s.key == "term_cost")
    assert any("officers must compare the bid" in r for r in result.reasons)


# --- The weighted total and the framework -----------------------------------------------------


def test_the_total_uses_the_frameworks_own_weights():
    criteria = [
        CriterionSpec("term_cost", "make_buy_sell", D("3"), None),  # scores 4
        CriterionSpec("trading_income", "make_buy_sell", D("1"), None),  # scores 0
    ]
    # (3 x 4 + 1 x 0) / (5 x 4) x 100 = 12 / 20 x 100 = 60.0
    result = assess(BASE, criteria)
    assert result.total == D("60.0")
    assert [(s.key, s.weighted) for s in result.scores] == [
        ("term_cost", D("12")),
        ("trading_income", D("0")),
    ]


def test_the_total_is_rounded_half_up_to_one_place():
    # weights 1 and 2, scores 4 and 0: 4 / 15 x 100 = 26.666... -> 26.7
    criteria = [
        CriterionSpec("term_cost", "make_buy_sell", D("1")),
        CriterionSpec("trading_income", "make_buy_sell", D("2")),
    ]
    assert assess(BASE, criteria).total == D("26.7")


def test_unknown_criterion_keys_are_named():
    criteria = [*DEFAULT_CRITERIA, CriterionSpec("charm", "public_value", D(1))]
    with pytest.raises(ValueError, match="Unknown criterion keys: charm"):
        assess(BASE, criteria)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (CriterionSpec("risk", "make_buy_sell", D(0)), "weight must be a Decimal above 0"),
        (CriterionSpec("risk", "make_buy_sell", 1.5), "weight must be a Decimal above 0"),
        (CriterionSpec("risk", "other", D(1)), "group must be one of"),
        (CriterionSpec("risk", "make_buy_sell", D(1), 6), "threshold must be 0 to 5"),
    ],
)
def test_bad_criteria_are_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        assess(BASE, [spec])


def test_a_key_used_twice_is_refused():
    spec = CriterionSpec("risk", "make_buy_sell", D(1))
    with pytest.raises(ValueError, match="used more than once: risk"):
        assess(BASE, [spec, spec])


def test_the_default_framework_has_a_title_and_method_for_every_criterion():
    assert [c.key for c in DEFAULT_CRITERIA] == list(DEFAULT_TITLES)
    assert sum(c.weight for c in DEFAULT_CRITERIA) == 100
    assert {c.group for c in DEFAULT_CRITERIA} == {"make_buy_sell", "public_value"}
    assert {c.key: c.threshold for c in DEFAULT_CRITERIA if c.threshold is not None} == {
        "deliverability": 2,
        "risk": 1,
    }
    assert ENGINE_VERSION == "1.4"


def test_every_score_says_what_it_used_and_is_json_ready():
    import json

    for s in assess(BASE, DEFAULT_CRITERIA).scores:
        row = s.as_dict()
        assert row["rule"] and row["figures"]
        json.dumps(row)
    json.dumps(assess(BASE, DEFAULT_CRITERIA).as_dict())


# --- Present value ------------------------------------------------------------------------------


def test_present_value_discounts_each_year_from_year_one():
    # 1,000,000/1.035 + 1,000,000/1.071225 + 1,000,000/1.108717875
    # = 966,183.5749 + 933,510.7004 + 901,942.7057 = 2,801,636.98
    assert present_value((D("1000000"),) * 3) == D("2801636.98")


def test_present_value_counts_one_off_costs_at_year_zero_undiscounted():
    assert present_value((D("1000000"),) * 3, now=D("120000")) == D("2921636.98")
    # transition costs £100,000 and a grant of £20,000 are both paid at the start
    bid = figures(yearly_prices=(D("1000000"),) * 3, transition_costs=D("100000"), grant=D("20000"))
    assert assess(bid, DEFAULT_CRITERIA).whole_life["npv_bid"] == D("2921636.98")


# --- Each criterion's bands, at their edges ---------------------------------------------------


@pytest.mark.parametrize(
    ("price", "saving", "expected"),
    [
        ("850000", "15.0%", 5),
        ("851000", "14.9%", 4),
        ("900000", "10.0%", 4),
        ("901000", "9.9%", 3),
        ("950000", "5.0%", 3),
        ("950500", "5.0%", 3),  # 4.95% rounds half up to 5.0%
        ("950600", "4.9%", 2),  # 4.94% rounds to 4.9%
        ("975000", "2.5%", 2),
        ("976000", "2.4%", 1),
        ("999000", "0.1%", 1),
        ("999600", "0.0%", 0),  # 0.04%: no saving worth counting
        ("1000000", "0.0%", 0),
        ("1200000", "-20.0%", 0),
    ],
)
def test_term_cost_bands(price, saving, expected):
    # One year against a net budget of £1,000,000, no transition costs or grant.
    scored = evaluate(figures(yearly_prices=(D(price),))).results["term_cost"]
    assert scored.figures["saving"] == saving
    assert scored.score == expected


def test_term_cost_counts_transition_costs_and_the_grant():
    # £900,000 + £20,000 + £30,000 = £950,000 against £1,000,000: 5.0% -> 3
    one_year = figures(yearly_prices=(D("900000"),), transition_costs=D("20000"), grant=D(30000))
    assert evaluate(one_year).results["term_cost"].score == 3


def test_a_service_with_no_net_budget_has_no_saving_to_score():
    free = figures(net_budget=D(0))
    result = assess(free, DEFAULT_CRITERIA)
    assert scores_of(result)["term_cost"] == 0
    assert result.recommendation == "MAKE"


@pytest.mark.parametrize(
    ("income", "expected"),
    [
        ("450000", 5),  # 50.0% of £900,000
        ("449000", 4),  # 49.9%
        ("225000", 4),  # 25.0%
        ("224000", 3),  # 24.9%
        ("90000", 3),  # 10.0%
        ("89000", 2),  # 9.9%
        ("45000", 2),  # 5.0%
        ("44000", 1),  # 4.9%
        ("900", 1),  # 0.1%
        ("400", 0),  # 0.04% rounds to 0.0%
        ("0", 0),
    ],
)
def test_trading_income_bands(income, expected):
    assert score("trading_income", external_income=D(income)) == expected


def test_trading_income_with_no_price_to_kcc_scores_5():
    assert score("trading_income", yearly_prices=(D(0),) * 3, external_income=D(1)) == 5
    assert score("trading_income", yearly_prices=(D(0),) * 3) == 0


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Against £900,000 a year. BASE: 2 + 2 + 1 = 5.
        ({}, 5),
        ({"working_capital": D("225000")}, 5),  # exactly 3 months
        ({"working_capital": D("224999.99")}, 4),  # just under: 1
        ({"working_capital": D("75000")}, 4),  # exactly 1 month: 1
        ({"working_capital": D("74999.99")}, 3),  # under 1 month: 0
        ({"bidder_turnover": D("1800000")}, 5),  # exactly twice
        ({"bidder_turnover": D("1799999.99")}, 4),
        ({"bidder_turnover": D("900000")}, 4),  # exactly once
        ({"bidder_turnover": D("899999.99")}, 3),
        ({"bidder_turnover": None}, 3),  # not given: 0
        ({"bidder_reserves": D("90000")}, 5),  # exactly 10%
        ({"bidder_reserves": D("89999.99")}, 4),
        ({"bidder_reserves": None}, 4),
    ],
)
def test_deliverability_bands(changes, expected):
    assert score("deliverability", **changes) == expected


def test_deliverability_is_tested_against_the_largest_yearly_price():
    # Largest £1,000,000: working capital £250,000 is exactly 3 months 2; turnover £2,000,000
    # exactly twice 2; reserves £100,000 exactly 10% 1 -> 5. At £1,000,000.01 each falls a band.
    assert score("deliverability", yearly_prices=(D("800000"), D("1000000"))) == 5
    assert score("deliverability", yearly_prices=(D("800000"), D("1000000.01"))) == 1 + 1 + 0


def test_consortium_members_count_towards_turnover_and_reserves():
    member = Partner(role="consortium", turnover=D("900000"), reserves=D("50000"))
    # £900,000 + £900,000 = £1,800,000: twice the price 2; reserves £50,000 + £50,000 1
    got = score(
        "deliverability",
        bidder_turnover=D("900000"),
        bidder_reserves=D("50000"),
        partners=(member,),
    )
    assert got == 5
    # a sub-contractor's standing does not count towards the bidder's
    sub = replace(member, role="subcontractor")
    got = score(
        "deliverability", bidder_turnover=D("900000"), bidder_reserves=D("50000"), partners=(sub,)
    )
    assert got == 2 + 1 + 0


def test_a_partner_with_no_reserves_costs_a_deliverability_point():
    broke = Partner(role="subcontractor", turnover=D("100000"), reserves=D(0))
    assert score("deliverability", partners=(broke,)) == 4


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 4),  # TUPE transfer -1
        ({"pensions": "not_applicable"}, 0),  # transfer without pension protection
        ({"pensions": "comparable"}, 3),  # and -1 for relying on a comparable scheme
        ({"staff_transferring": 0, "pensions": "not_applicable"}, 5),
        ({"risks": (Risk("high", "high"),)}, 2),  # -1 -2
        ({"risks": (Risk("low", "low"), Risk("high", "medium"))}, 3),  # worst counts: -1 -1
        ({"risks": (Risk("medium", "high"),)}, 3),
        ({"risks": (Risk("low", "high"),)}, 4),  # 1 x 3 = 3: not above medium
        ({"risks": ()}, 3),  # none declared -1
        (
            {
                "pensions": "comparable",
                "risks": (Risk("high", "high"),),
                "partners": (Partner("subcontractor", D("5000000"), D("1")),),
            },
            0,  # 5 -1 -1 -2 -1 = 0
        ),
    ],
)
def test_risk_deductions(changes, expected):
    assert score("risk", **changes) == expected


def test_reliance_on_one_sub_contractor_as_big_as_the_bidder():
    big = Partner("subcontractor", D("2000000"), D("10000"))  # as big as the bidder's £2m
    small = Partner("subcontractor", D("1999999.99"), D("10000"))
    assert score("risk", partners=(big,)) == 3
    assert score("risk", partners=(small,)) == 4
    assert score("risk", partners=(big, big)) == 4  # two: the risk is spread
    assert score("risk", partners=(big,), bidder_turnover=None) == 3


@pytest.mark.parametrize(
    ("has_kpis", "scope", "expected"),
    [(True, "whole", 4), (True, "part", 3), (False, "whole", 1), (False, "part", 0)],
)
def test_customer(has_kpis, scope, expected):
    assert score("customer", has_kpis=has_kpis, scope=scope) == expected


@pytest.mark.parametrize(
    ("model", "hours", "expected"),
    [
        ("mutual", 2000, 5),
        ("management_buyout", 1999, 4),
        ("social_enterprise", 500, 4),
        ("cooperative", 499, 3),
        ("cooperative", 1, 3),
        ("cooperative", 0, 2),
        ("prime_provider", 2000, 3),
        ("teckal", 0, 0),
    ],
)
def test_communities(model, hours, expected):
    assert score("communities", delivery_model=model, volunteering_hours=hours) == expected


@pytest.mark.parametrize(
    ("jobs", "kent", "expected"),
    [
        # £1,500,000 a year: 15 jobs is 10.0 per £1m (2), 14 is 9.3 (1)
        (15, 50, 5),
        (14, 49, 3),
        (1, 25, 3),
        (0, 24, 1),
        (0, 10, 1),
        (0, 9, 0),
    ],
)
def test_clout(jobs, kent, expected):
    got = score(
        "clout",
        yearly_prices=(D("1500000"),) * 3,
        local_jobs=jobs,
        kent_spend_percent=kent,
    )
    assert got == expected


def test_cost_is_the_recurring_saving_in_the_last_year():
    # Last year £850,000 against £1,000,000: 15.0% -> 5, whatever the earlier years cost.
    prices = (D("1100000"), D("1000000"), D("850000"))
    assert score("cost", yearly_prices=prices) == 5
    assert score("term_cost", yearly_prices=prices) == 1  # £2,950,000: 1.7%


@pytest.mark.parametrize(
    ("apprenticeships", "pensions", "staff", "expected"),
    [
        # £1,500,000 a year: 3 is 2.0 per £1m (3), 2 is 1.3 (2), 1 is 0.7 (1)
        (3, "lgps", 20, 5),
        (2, "lgps", 20, 4),
        (1, "comparable", 20, 2),
        (0, "comparable", 20, 1),
        (3, "not_applicable", 0, 3),
    ],
)
def test_capabilities(apprenticeships, pensions, staff, expected):
    got = score(
        "capabilities",
        yearly_prices=(D("1500000"),) * 3,
        apprenticeships=apprenticeships,
        pensions=pensions,
        staff_transferring=staff,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("jobs", "apprenticeships", "hours", "kent", "expected"),
    [
        (1, 1, 1, 50, 5),
        (1, 1, 1, 49, 4),
        (1, 0, 1, 25, 3),
        (0, 0, 0, 24, 0),
        (0, 0, 1, 100, 3),
    ],
)
def test_social_value(jobs, apprenticeships, hours, kent, expected):
    got = score(
        "social_value",
        local_jobs=jobs,
        apprenticeships=apprenticeships,
        volunteering_hours=hours,
        kent_spend_percent=kent,
    )
    assert got == expected


def test_figures_whose_prices_do_not_match_the_term_are_refused():
    with pytest.raises(ValueError, match="a price for each year"):
        evaluate(replace(BASE, term_years=4))
