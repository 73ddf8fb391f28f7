"""Properties of scoring that hold for any valid figures and any framework (hypothesis)."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.figures import Figures, Partner, Risk
from evaluation.scoring import (
    DEFAULT_CRITERIA,
    DELIVERABLE,
    PASS_MARK,
    SELL_SIGNAL,
    CriterionSpec,
    assess,
    evaluate,
)
from evaluation.scoring.rules import RULES

# No example database written into the repository; no deadline, as CI machines vary.
PROFILE = settings(database=None, deadline=None, max_examples=200)

DELIVERY_MODELS = [
    "management_buyout",
    "cooperative",
    "mutual",
    "social_enterprise",
    "trading_company",
    "teckal",
    "joint_venture",
    "prime_provider",
    "other",
]
LEVELS = st.sampled_from(["low", "medium", "high"])


def money(high: int, low: int = 0):
    """Pounds and pence, as the forms accept them."""
    return st.decimals(min_value=low, max_value=high, places=2, allow_nan=False)


partners = st.builds(
    Partner,
    role=st.sampled_from(["consortium", "subcontractor"]),
    turnover=money(50_000_000),
    reserves=money(5_000_000),
)


@st.composite
def figures(draw) -> Figures:
    net = draw(money(30_000_000, low=0))
    term = draw(st.integers(min_value=1, max_value=10))
    staff = draw(st.integers(min_value=0, max_value=500))
    pensions = draw(st.sampled_from(["lgps", "comparable", "not_applicable"]))
    return Figures(
        net_budget=net,
        gross_budget=net + draw(money(5_000_000)),
        scope=draw(st.sampled_from(["whole", "part"])),
        delivery_model=draw(st.sampled_from(DELIVERY_MODELS)),
        term_years=term,
        yearly_prices=tuple(draw(st.lists(money(40_000_000), min_size=term, max_size=term))),
        transition_costs=draw(money(5_000_000)),
        investment=draw(money(5_000_000)),
        external_income=draw(money(20_000_000)),
        grant=draw(money(500_000)),
        working_capital=draw(money(10_000_000)),
        bidder_turnover=draw(st.none() | money(100_000_000)),
        bidder_reserves=draw(st.none() | money(20_000_000)),
        staff_transferring=staff,
        pensions=pensions,
        has_kpis=draw(st.booleans()),
        partners=tuple(draw(st.lists(partners, max_size=4))),
        local_jobs=draw(st.integers(min_value=0, max_value=2000)),
        apprenticeships=draw(st.integers(min_value=0, max_value=200)),
        volunteering_hours=draw(st.integers(min_value=0, max_value=50_000)),
        kent_spend_percent=draw(st.integers(min_value=0, max_value=100)),
        risks=tuple(draw(st.lists(st.builds(Risk, LEVELS, LEVELS), max_size=6))),
    )


@st.composite
def frameworks(draw) -> list[CriterionSpec]:
    """Any non-empty set of known criteria, with any positive weights and thresholds."""
    keys = draw(st.lists(st.sampled_from(sorted(RULES)), min_size=1, unique=True))
    return [
        CriterionSpec(
            key=key,
            group=draw(st.sampled_from(["make_buy_sell", "public_value"])),
            weight=draw(money(999, low=Decimal("0.01"))),
            threshold=draw(st.none() | st.integers(min_value=0, max_value=5)),
        )
        for key in keys
    ]


@PROFILE
@given(figures())
def test_every_score_is_a_whole_number_from_0_to_5(f):
    for key, scored in evaluate(f).results.items():
        assert isinstance(scored.score, int), key
        assert 0 <= scored.score <= 5, key
        assert scored.rule


@PROFILE
@given(figures(), frameworks())
def test_the_total_is_between_0_and_100_and_the_recommendation_one_of_three(f, criteria):
    result = assess(f, criteria)
    assert Decimal(0) <= result.total <= Decimal(100)
    assert result.recommendation in {"MAKE", "BUY", "SELL"}
    deciding = [r for r in result.reasons if r.startswith(("MAKE:", "BUY:", "SELL:"))]
    assert deciding == [next(r for r in result.reasons if r.startswith(result.recommendation))]
    after = result.reasons[result.reasons.index(deciding[0]) + 1 :]
    assert all(r.startswith(("Overridden:", "Also:")) for r in after)
    assert [s.key for s in result.scores] == [c.key for c in criteria]


@PROFILE
@given(figures(), st.data())
def test_the_cost_scores_never_fall_as_the_saving_grows(f, data):
    # Lower any of the yearly prices, all else equal: the saving can only grow.
    cuts = data.draw(
        st.lists(
            st.decimals(min_value=0, max_value=1, places=2),
            min_size=f.term_years,
            max_size=f.term_years,
        )
    )
    cheaper = replace(
        f,
        yearly_prices=tuple(
            (price * (1 - cut)).quantize(Decimal("0.01"))
            for price, cut in zip(f.yearly_prices, cuts, strict=True)
        ),
    )
    before, after = evaluate(f).results, evaluate(cheaper).results
    for key in ("term_cost", "whole_life_cost", "cost"):
        assert after[key].score >= before[key].score, key


@PROFILE
@given(figures(), money(1_000_000))
def test_one_off_costs_never_raise_the_cost_scores(f, extra):
    dearer = replace(f, transition_costs=f.transition_costs + extra)
    before, after = evaluate(f).results, evaluate(dearer).results
    for key in ("term_cost", "whole_life_cost"):
        assert after[key].score <= before[key].score, key


@PROFILE
@given(figures())
def test_the_recommendation_follows_its_rules(f):
    result = assess(f, DEFAULT_CRITERIA)
    scores = {s.key: s.score for s in result.scores}
    if result.failed_thresholds:
        assert result.recommendation == "MAKE"
    if result.recommendation in {"BUY", "SELL"}:
        assert not result.failed_thresholds
        assert result.whole_life["cost_bid"] < result.whole_life["cost_in_house"]
        assert result.whole_life["npv_bid"] < result.whole_life["npv_in_house"]
        assert scores["deliverability"] >= DELIVERABLE
        assert result.total >= PASS_MARK
        assert (result.recommendation == "SELL") == (scores["trading_income"] >= SELL_SIGNAL)


@PROFILE
@given(figures(), frameworks())
def test_assess_is_deterministic(f, criteria):
    assert assess(f, criteria) == assess(f, criteria)
