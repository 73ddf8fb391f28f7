"""Officers' scores read by the machine's rules (read_scores), for moderation to show beside the
machine's assessment. Expected values worked out by hand from docs/scoring.md; figures from
test_scoring.BASE, whose machine scores are
    term_cost 4, whole_life_cost 4, trading_income 0, deliverability 5, risk 4,
    customer 4, communities 4, clout 5, cost 4, capabilities 5, social_value 5 (total 78.4, BUY).
"""

import json
from decimal import Decimal

import pytest

from evaluation.scoring import DEFAULT_CRITERIA, CriterionSpec, Reading, assess, read_scores
from evaluation.tests.test_scoring import BASE, figures, scores_of

D = Decimal

MACHINE = scores_of(assess(BASE, DEFAULT_CRITERIA))
COSTS = (
    "Over the 3-year term the bid would cost KCC £2,700,000 (yearly prices, transition "
    "costs and any grant) against £3,000,000 if the service stays in-house: a saving of "
    "10.0%.",
    "In today's money (each year discounted at 3.5%, the HM Treasury Green Book rate) the "
    "bid costs £2,521,473 against £2,801,637 in-house: a saving of 10.0%.",
)


def test_the_machines_own_scores_read_as_the_machines_assessment():
    machine = assess(BASE, DEFAULT_CRITERIA)
    reading = read_scores(BASE, DEFAULT_CRITERIA, MACHINE)
    assert reading == Reading(
        total=D("78.4"),
        recommendation="BUY",
        failed_thresholds=(),
        reasons=machine.reasons,
    )


def test_officers_lowering_deliverability_to_2_read_as_make_not_deliverable():
    reading = read_scores(BASE, DEFAULT_CRITERIA, {**MACHINE, "deliverability": 2})
    # 392 - 10 x 3 = 362 / 500 -> 72.4; 2 meets the threshold of 2 but not the 3 for a change
    assert reading.total == D("72.4")
    assert reading.failed_thresholds == ()
    assert reading.recommendation == "MAKE"
    but = "but deliverability and financial standing scores 2, below the 3 needed."
    assert reading.reasons == (
        *COSTS,
        "MAKE: the bid is cheaper, but deliverability and financial standing scores 2, below "
        "the 3 needed to recommend a change of provider.",
        "Overridden: the bid would save KCC £300,000 over the term (10.0%) and £280,164 in "
        f"today's money (10.0%), {but}",
        f"Overridden: the weighted total of 72.4 reaches the pass mark of 50.0, {but}",
        # 6x4 + 6x4 + 6x5 + 6x4 + 6x5 + 10x5 = 182 of 200 -> 91.0%
        "Overridden: the public-value criteria score 91.0% of their marks, strong public value "
        f"(70.0% or more), {but}",
    )


def test_officers_raising_trading_income_to_4_read_a_cheaper_deliverable_bid_as_sell():
    # Income from others £224,000 against £900,000: 24.9%, which the machine scores 3: BUY.
    near = figures(external_income=D("224000"))
    machine = assess(near, DEFAULT_CRITERIA)
    assert (machine.recommendation, machine.total) == ("BUY", D("84.4"))  # 392 + 30 = 422
    reading = read_scores(near, DEFAULT_CRITERIA, {**scores_of(machine), "trading_income": 4})
    # 392 + 40 = 432 / 500 -> 86.4
    assert reading.total == D("86.4")
    assert reading.recommendation == "SELL"
    assert reading.reasons == (
        *COSTS,
        "SELL: the bid is cheaper, deliverable (score 5) and its weighted total of 86.4 reaches "
        "50.0; trading income scores 4 (income from others of £224,000 a year, 24.9% of the "
        "yearly price), which shows a market for the service, so KCC should trade it, for "
        "example through a trading company with this bidder.",
    )


def test_officers_scoring_risk_0_disqualify_the_bid():
    reading = read_scores(BASE, DEFAULT_CRITERIA, {**MACHINE, "risk": 0})
    # 392 - 10 x 4 = 352 / 500 -> 70.4
    assert reading.total == D("70.4")
    assert reading.failed_thresholds == ("risk",)
    assert reading.recommendation == "MAKE"
    assert reading.reasons[2:4] == (
        "Risk scored 0, below its threshold of 1.",
        "MAKE: the bid is disqualified, so the service stays in-house.",
    )
    assert (
        "Overridden: deliverability and financial standing scores 5, enough for a change of "
        "provider (3 or more), but the bid is disqualified."
    ) in reading.reasons


def test_officers_scoring_public_value_low_take_the_bid_below_the_pass_mark():
    public_value = ("customer", "communities", "clout", "cost", "capabilities", "social_value")
    reading = read_scores(BASE, DEFAULT_CRITERIA, {**MACHINE, **dict.fromkeys(public_value, 0)})
    # 392 - (24 + 24 + 30 + 24 + 30 + 50) = 210 / 500 -> 42.0
    assert reading.total == D("42.0")
    assert reading.recommendation == "MAKE"
    assert reading.reasons[2] == (
        "MAKE: the bid is cheaper and deliverable, but its weighted total of 42.0 is below the "
        "50.0 needed to recommend a change of provider."
    )


def test_officers_cannot_score_a_dearer_bid_into_a_change_of_provider():
    # £1,050,000 a year: dearer over the term and in present value. Officers give 5 everywhere,
    # but whether the bid is cheaper is a fact of the figures, not a score.
    dearer = figures(yearly_prices=(D("1050000"),) * 3)
    reading = read_scores(dearer, DEFAULT_CRITERIA, {c.key: 5 for c in DEFAULT_CRITERIA})
    assert reading.total == D("100.0")
    assert reading.recommendation == "MAKE"
    but = (
        "but the bid is not cheaper than keeping the service in-house over the term or in "
        "today's money."
    )
    assert reading.reasons[2:] == (
        "MAKE: the bid is not cheaper than keeping the service in-house over the term or in "
        "today's money.",
        "Overridden: deliverability and financial standing scores 5, enough for a change of "
        f"provider (3 or more), {but}",
        f"Overridden: the weighted total of 100.0 reaches the pass mark of 50.0, {but}",
        "Overridden: trading income scores 5 (no income from others), a sell signal, " + but,
        "Overridden: the public-value criteria score 100.0% of their marks, strong public value "
        f"(70.0% or more), {but}",
    )


def test_public_value_at_exactly_70_percent_is_strong():
    # Risk 0 disqualifies. Public value: 6 x 4 x 5 = 120 + 10 x social value, of 200:
    # social value 2 -> 140, 70.0% (strong); 1 -> 130, 65.0% (not).
    pv = dict.fromkeys(("customer", "communities", "clout", "cost", "capabilities"), 4)
    strong = read_scores(BASE, DEFAULT_CRITERIA, {**MACHINE, **pv, "risk": 0, "social_value": 2})
    assert (
        "Overridden: the public-value criteria score 70.0% of their marks, strong public value "
        "(70.0% or more), but the bid is disqualified."
    ) in strong.reasons
    short = read_scores(BASE, DEFAULT_CRITERIA, {**MACHINE, **pv, "risk": 0, "social_value": 1})
    assert not any("public-value" in r for r in short.reasons)


def test_a_total_of_exactly_the_pass_mark_is_named_as_reaching_it():
    # 15x5 + 15x5 + 10x0 + 10x5 + 10x0 (risk: disqualified) + 6x0 x 5 + 10x5 = 250 / 500 -> 50.0
    scores = {c.key: 0 for c in DEFAULT_CRITERIA}
    scores |= dict.fromkeys(("term_cost", "whole_life_cost", "deliverability", "social_value"), 5)
    reading = read_scores(BASE, DEFAULT_CRITERIA, scores)
    assert (reading.total, reading.failed_thresholds) == (D("50.0"), ("risk",))
    assert (
        "Overridden: the weighted total of 50.0 reaches the pass mark of 50.0, but the bid is "
        "disqualified."
    ) in reading.reasons


def test_a_framework_without_deliverability_reads_the_machines_deliverability():
    # As in assess, the deliverability test needs a score even when the framework has no such
    # criterion: the machine's (2 here: working capital 1, turnover 1, reserves 0).
    weak = figures(
        working_capital=D("100000"), bidder_turnover=D("1000000"), bidder_reserves=D("50000")
    )
    criteria = [CriterionSpec("term_cost", "make_buy_sell", D(1))]
    reading = read_scores(weak, criteria, {"term_cost": 5})
    assert reading.recommendation == assess(weak, criteria).recommendation == "MAKE"
    assert reading.reasons[2] == (
        "MAKE: the bid is cheaper, but deliverability and financial standing scores 2, below "
        "the 3 needed to recommend a change of provider."
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"risk": None}, "risk: give a whole-number score from 0 to 5, not None."),
        ({"risk": 6}, "risk: give a whole-number score from 0 to 5, not 6."),
        ({"risk": -1}, "risk: give a whole-number score from 0 to 5, not -1."),
        ({"risk": 2.0}, "risk: give a whole-number score from 0 to 5, not 2.0."),
        ({"risk": "3"}, "risk: give a whole-number score from 0 to 5, not '3'."),
        ({"risk": True}, "risk: give a whole-number score from 0 to 5, not True."),
        (
            {"charm": 3},
            "Scores given for criteria this framework does not have: charm. Score only the "
            "framework's criteria.",
        ),
    ],
)
def test_scores_that_are_not_0_to_5_for_each_criterion_are_refused(change, message):
    scores = {**MACHINE, **change}
    if scores.get("risk", 0) is None:
        del scores["risk"]  # a missing score reads as None
    with pytest.raises(ValueError) as raised:
        read_scores(BASE, DEFAULT_CRITERIA, scores)
    assert str(raised.value) == message


def test_the_criteria_are_checked_as_assess_checks_them():
    with pytest.raises(ValueError, match="Unknown criterion keys: charm"):
        read_scores(BASE, [CriterionSpec("charm", "public_value", D(1))], {"charm": 3})


def test_a_reading_is_json_ready():
    row = read_scores(BASE, DEFAULT_CRITERIA, MACHINE).as_dict()
    assert row["engine_version"] == "1.4"
    assert row["total"] == "78.4"
    assert row["recommendation"] == "BUY"
    json.dumps(row)
