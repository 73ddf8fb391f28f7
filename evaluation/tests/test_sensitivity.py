"""Sensitivity of the recommendation and of a ranking to the weights (±20%): pure, no database."""

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from evaluation.scoring import DEFAULT_CRITERIA, CriterionSpec
from evaluation.sensitivity import ranking, sensitivity
from evaluation.tests.test_scoring import BASE, figures

D = Decimal

# Cheaper by 1.0%, deliverable, a trading company with no volunteering: worked out in
# test_scoring.test_cheaper_and_deliverable_but_below_the_pass_mark_gives_make, its weighted
# points are exactly 250 of 500 -> 50.0, the pass mark: BUY, just. Scores:
#   term_cost 1, whole_life_cost 1, trading_income 0, deliverability 5, risk 4,
#   customer 4, communities 0, clout 5, cost 1, capabilities 5, social_value 4.
ON_THE_MARK = figures(
    yearly_prices=(D("990000"),) * 3, delivery_model="trading_company", volunteering_hours=0
)


def test_a_bid_on_the_pass_mark_flips_when_one_weight_moves():
    result = sensitivity(ON_THE_MARK, DEFAULT_CRITERIA)
    assert (result.recommendation, result.total) == ("BUY", D("50.0"))
    # Changing weight w (score s) by d makes the total 20 x (250 + s.d) / (100 + d), which stays
    # at 50 or more exactly when d.(s - 2.5) >= 0: raising the weight of a criterion scoring 0-2,
    # or lowering one scoring 3-5, drops the bid below the pass mark. For example:
    #   term_cost +20% (d = 3, s = 1):       20 x 253 / 103    = 49.13 -> 49.1: MAKE
    #   cost +20% (d = 1.2, s = 1):          20 x 251.2 / 101.2 = 49.64 -> 49.6: MAKE
    #   deliverability -20% (d = -2, s = 5): 20 x 240 / 98     = 48.98 -> 49.0: MAKE
    #   deliverability +20% (d = 2, s = 5):  20 x 260 / 102    = 50.98 -> 51.0: BUY
    flips = {(c.key, c.change) for c in result.flips}
    assert flips == {
        ("term_cost", "+20%"),
        ("whole_life_cost", "+20%"),
        ("trading_income", "+20%"),
        ("communities", "+20%"),
        ("cost", "+20%"),
        ("deliverability", "-20%"),
        ("risk", "-20%"),
        ("customer", "-20%"),
        ("clout", "-20%"),
        ("capabilities", "-20%"),
        ("social_value", "-20%"),
    }
    by_change = {(c.key, c.change): c for c in result.one_at_a_time}
    assert by_change["term_cost", "+20%"].total == D("49.1")
    assert by_change["cost", "+20%"].total == D("49.6")
    assert by_change["deliverability", "-20%"].total == D("49.0")
    assert by_change["deliverability", "+20%"].total == D("51.0")
    assert by_change["deliverability", "+20%"].recommendation == "BUY"
    assert all(c.recommendation == "MAKE" for c in result.flips)
    assert not result.robust
    # Random weights push it either side of the mark.
    assert 0 < result.held < result.samples == 300
    assert result.lowest_total < D("50.0") < result.highest_total


def test_a_flip_with_a_small_framework_worked_by_hand():
    # Two criteria of weight 10: term_cost scores 2 (a 2.5% saving: £975,000 a year), and
    # deliverability 5. Total: (10 x 2 + 10 x 5) / (5 x 20) x 100 = 70.0. Lower deliverability by
    # 20%: (20 + 8 x 5) / (5 x 18) x 100 = 66.7; raise term_cost: (24 + 50) / 110 x 100 = 67.3.
    # The pass mark is far: nothing flips.
    criteria = [
        CriterionSpec("term_cost", "make_buy_sell", D(10)),
        CriterionSpec("deliverability", "make_buy_sell", D(10)),
    ]
    bid = figures(yearly_prices=(D("975000"),) * 3)
    result = sensitivity(bid, criteria, samples=50)
    assert result.total == D("70.0")
    by_change = {(c.key, c.change): c.total for c in result.one_at_a_time}
    assert by_change == {
        ("term_cost", "-20%"): D("73.3"),  # (16 + 50) / 90 x 100
        ("term_cost", "+20%"): D("67.3"),
        ("deliverability", "-20%"): D("66.7"),
        ("deliverability", "+20%"): D("72.7"),  # (20 + 60) / 110 x 100
    }
    assert result.robust


def test_a_robust_bid_holds_in_every_sample():
    # BASE totals 78.4; at worst (weights of its low scores up 20%, high scores down 20%) it
    # stays far above 50.
    result = sensitivity(BASE, DEFAULT_CRITERIA)
    assert result.recommendation == "BUY"
    assert result.flips == ()
    assert result.held == 300
    assert result.holds_share == D("1.000")
    assert result.robust


def test_a_disqualified_bid_stays_make_whatever_the_weights():
    result = sensitivity(figures(pensions="not_applicable"), DEFAULT_CRITERIA, samples=100)
    assert result.recommendation == "MAKE"
    assert result.held == 100
    assert result.flips == ()


def test_sensitivity_is_deterministic_for_a_seed():
    first = sensitivity(ON_THE_MARK, DEFAULT_CRITERIA, seed=7).as_dict()
    again = sensitivity(ON_THE_MARK, DEFAULT_CRITERIA, seed=7).as_dict()
    assert first == again
    other = sensitivity(ON_THE_MARK, DEFAULT_CRITERIA, seed=8).as_dict()
    assert other["seed"] == 8
    assert other["one_at_a_time"] == first["one_at_a_time"]  # no randomness there


def test_sensitivity_as_dict_is_json_with_decimals_as_strings():
    data = sensitivity(ON_THE_MARK, DEFAULT_CRITERIA, samples=20).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["total"] == "50.0"
    assert data["one_at_a_time"][0] == {
        "key": "term_cost",
        "change": "-20%",
        "total": "50.9",  # 20 x (250 - 3) / 97 = 50.93
        "recommendation": "BUY",
        "holds": True,
    }
    assert "term_cost +20%: MAKE" in data["flips"]


def test_no_samples_gives_no_share():
    result = sensitivity(BASE, DEFAULT_CRITERIA, samples=0)
    assert result.holds_share is None
    assert result.as_dict()["holds_share"] is None
    with pytest.raises(ValueError):
        sensitivity(BASE, DEFAULT_CRITERIA, samples=-1)


# --- Ranking ------------------------------------------------------------------------------------

TWO = [
    CriterionSpec("term_cost", "make_buy_sell", D(10)),
    CriterionSpec("deliverability", "make_buy_sell", D(10)),
]


def test_a_clear_ranking_holds_under_every_weight_vector():
    # BASE totals 78.4; the same bid at £980,000 a year (a 2.0% saving) 56.8 with the defaults.
    bids = {"RTB-1": BASE, "RTB-2": figures(yearly_prices=(D("980000"),) * 3)}
    result = ranking(bids, DEFAULT_CRITERIA)
    assert [(b.id, b.total, b.recommendation) for b in result.order] == [
        ("RTB-1", D("78.4"), "BUY"),
        ("RTB-2", D("56.8"), "BUY"),
    ]
    assert (result.order_held, result.top_held) == (300, 300)
    assert result.order_holds_share == D("1.000")
    assert all(c.holds for c in result.one_at_a_time)


def test_a_close_ranking_flips_with_one_weight():
    # P: term_cost 4 (10% saving), deliverability 3 (reserves under 10%) -> (40 + 30) x 20 / 20
    #    = 70.0; Q: term_cost 3 (5%), deliverability 4 -> 70.0 too. A tie keeps the given order.
    # term_cost -20%: P = (32 + 30) x 20 / 18 = 68.9, Q = (24 + 40) x 20 / 18 = 71.1: Q first.
    # deliverability +20%: P = (40 + 36) x 20 / 22 = 69.1, Q = (30 + 48) x 20 / 22 = 70.9.
    # term_cost +20% and deliverability -20% favour P: the order holds.
    # P against £900,000: working capital £100,000 1, turnover £2,000,000 2, reserves £50,000 0.
    p = figures(working_capital=D("100000"), bidder_reserves=D("50000"))
    # Q against £950,000: working capital £250,000 2, turnover 2, reserves 0.
    q = figures(yearly_prices=(D("950000"),) * 3, bidder_reserves=D("50000"))
    result = ranking({"P": p, "Q": q}, TWO, samples=200)
    assert [(b.id, b.total) for b in result.order] == [("P", D("70.0")), ("Q", D("70.0"))]
    orders = {(c.key, c.change): c.order for c in result.one_at_a_time}
    assert orders == {
        ("term_cost", "-20%"): ("Q", "P"),
        ("term_cost", "+20%"): ("P", "Q"),
        ("deliverability", "-20%"): ("P", "Q"),
        ("deliverability", "+20%"): ("Q", "P"),
    }
    # P leads exactly when term_cost's weight ends up at least deliverability's: about half.
    assert 60 < result.order_held < 140
    assert result.top_held == result.order_held  # with two bids, the order is the top
    # Stored, an order is written only where it changed (engine 1.3).
    stored = {(c["key"], c["change"]): c.get("order") for c in result.as_dict()["one_at_a_time"]}
    assert stored == {
        ("term_cost", "-20%"): ["Q", "P"],
        ("term_cost", "+20%"): None,
        ("deliverability", "-20%"): None,
        ("deliverability", "+20%"): ["Q", "P"],
    }


def test_ranking_is_deterministic_and_json_ready():
    bids = {1: BASE, 2: figures(yearly_prices=(D("950000"),) * 3)}
    first = ranking(bids, DEFAULT_CRITERIA, seed=3).as_dict()
    assert first == ranking(bids, DEFAULT_CRITERIA, seed=3).as_dict()
    assert json.loads(json.dumps(first)) == first
    assert [b["id"] for b in first["order"]] == [1, 2]


def test_a_lone_or_dominant_bid_always_stays_top():
    # A rival scoring lower on clout and social value and the same elsewhere never overtakes.
    alone = ranking({"A": ON_THE_MARK}, DEFAULT_CRITERIA, samples=50)
    assert (alone.order_held, alone.top_held) == (50, 50)
    rival = replace(ON_THE_MARK, kent_spend_percent=0)
    assert ranking({"A": ON_THE_MARK, "B": rival}, DEFAULT_CRITERIA, samples=50).top_held == 50


def test_ranking_needs_bids():
    with pytest.raises(ValueError, match="no bids"):
        ranking({}, DEFAULT_CRITERIA)


# --- Whole-number totals: the same as Decimal sums, and what ranking reads back --------------


def decimal_totals(bid, criteria, *, samples, seed):
    """The Decimal working these totals replace, as sensitivity did it before (engine 1.1):
    every varied weighting's weighted_total, each weight times 1 + a random millionth step."""
    import random

    from evaluation.scoring import evaluate, weighted_total

    scores = [evaluate(bid).results[c.key].score for c in criteria]
    weights = [c.weight for c in criteria]

    def total(varied):
        return weighted_total(zip(varied, scores, strict=True))

    changes = [
        total([w * factor if j == i else w for j, w in enumerate(weights)])
        for i in range(len(weights))
        for factor in (D("0.8"), D("1.2"))
    ]
    rng = random.Random(seed)
    drawn = [
        total([w * (1 + D(rng.randint(-200_000, 200_000)) / 1_000_000) for w in weights])
        for _ in range(samples)
    ]
    return total(weights), changes, drawn


ODD_WEIGHTS = [
    replace(c, weight=D(w))
    for c, w in zip(
        DEFAULT_CRITERIA,
        ["1.25", "33.3", "0.07", "9999.99", "3", "6.5", "2", "2", "7.77", "1", "12"],
        strict=True,
    )
]
BIDS = [
    BASE,
    ON_THE_MARK,
    figures(pensions="not_applicable"),
    figures(yearly_prices=(D("980000"),) * 3, external_income=D("400000")),
    figures(yearly_prices=(D("1100000"),) * 3, delivery_model="mutual"),
    figures(working_capital=D("100000"), bidder_reserves=D("50000"), volunteering_hours=600),
]


@pytest.mark.parametrize("criteria", [DEFAULT_CRITERIA, ODD_WEIGHTS], ids=["default", "odd"])
def test_whole_number_totals_are_exactly_the_decimal_totals(criteria):
    from evaluation.scoring import check, evaluate
    from evaluation.sensitivity import totals

    for bid in BIDS:
        found = totals(evaluate(bid), check(criteria), samples=120, seed=5)
        base, changes, drawn = decimal_totals(bid, criteria, samples=120, seed=5)
        assert D(found.base) / 10 == base
        assert [D(t) / 10 for t in found.changes] == changes
        assert [D(t) / 10 for t in found.samples] == drawn
        # ... and sensitivity reports them as weighted_total does, to one decimal place.
        result = sensitivity(bid, criteria, samples=120, seed=5)
        assert str(result.total) == str(base)
        assert [str(c.total) for c in result.one_at_a_time] == [str(t) for t in changes]
        assert (str(result.lowest_total), str(result.highest_total)) == (
            str(min(drawn)),
            str(max(drawn)),
        )


def test_ranking_from_stored_totals_is_ranking_from_figures():
    from evaluation.scoring import check
    from evaluation.sensitivity import Bid, Totals, rank

    named = {f"RTB-{n}": bid for n, bid in enumerate(BIDS)}
    expected = ranking(named, DEFAULT_CRITERIA, samples=100, seed=0)
    # What an assessment stores, read back through JSON as the next assessment reads it.
    stored = {
        name: json.loads(
            json.dumps(sensitivity(bid, DEFAULT_CRITERIA, samples=100).totals.as_dict())
        )
        for name, bid in named.items()
    }
    given = {b.id: b for b in expected.order}  # recommendations are passed through as given
    bids = [
        Bid(name, given[name].recommendation, given[name].disqualified, Totals.from_dict(data))
        for name, data in stored.items()
    ]
    found = rank(bids, check(DEFAULT_CRITERIA), samples=100, seed=0)
    assert found.order == expected.order
    assert found.one_at_a_time == expected.one_at_a_time
    assert (found.order_held, found.top_held) == (expected.order_held, expected.top_held)
    assert 0 < found.order_held < 100  # close bids: the check is not empty


def test_rank_refuses_totals_worked_out_for_other_weights():
    from evaluation.scoring import check, evaluate
    from evaluation.sensitivity import Bid, rank, totals

    criteria = check(DEFAULT_CRITERIA)
    fewer = totals(evaluate(BASE), criteria, samples=10, seed=0)
    more = totals(evaluate(BASE), criteria, samples=20, seed=0)
    with pytest.raises(ValueError, match="not worked out for these weights"):
        rank(
            [Bid("A", "BUY", False, fewer), Bid("B", "BUY", False, more)],
            criteria,
            samples=20,
            seed=0,
        )
    with pytest.raises(ValueError, match="no bids"):
        rank([], criteria, samples=20, seed=0)


def test_packed_comparisons_are_the_comparisons_of_each_total():
    import random

    from evaluation.sensitivity import Totals, _ahead, _high_bits

    rng = random.Random(1)
    a = [rng.choice((0, 1, 499, 500, 501, 1000)) for _ in range(400)]
    b = [rng.choice((0, 1, 499, 500, 501, 1000)) for _ in range(400)]
    first, second = Totals.of(0, [], a), Totals.of(0, [], b)
    assert first.samples == a
    assert Totals.from_dict(json.loads(json.dumps(first.as_dict()))) == first
    high = _high_bits(400)
    at_least = _ahead(first, second, high, given_first=True)
    above = _ahead(first, second, high, given_first=False)
    assert at_least.bit_count() == sum(x >= y for x, y in zip(a, b, strict=True))
    assert above.bit_count() == sum(x > y for x, y in zip(a, b, strict=True))
    assert at_least & ~above  # some ties, which only the bid given first keeps
