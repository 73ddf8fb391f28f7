"""Assessing a business case's figures against a framework's criteria: scores, weighted total,
thresholds and the make / buy / sell recommendation with its reasons.

Pure: no database, no Django, Decimal for every sum of money. docs/scoring.md states the method
in words; a change to a rule or a band changes ENGINE_VERSION, so a stored assessment always says
which method produced it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from evaluation.figures import Figures
from evaluation.scoring.defaults import DEFAULT_TITLES
from evaluation.scoring.money import DISCOUNT_RATE, RATE_SHOWN, TENTH, ZERO, percent_of, pounds
from evaluation.scoring.rules import RULES, Facts, Scored, facts_of
from evaluation.scoring.spec import CriterionSpec

ENGINE_VERSION = "1.0"

MAKE, BUY, SELL = "MAKE", "BUY", "SELL"
GROUPS = ("make_buy_sell", "public_value")
SCALE = 5
# What it takes to recommend a change of provider (BUY or SELL), once a bid is cheaper:
DELIVERABLE = 3  # deliverability and financial standing scores at least "adequate"
PASS_MARK = Decimal("50.0")  # and the weighted total is at least half the marks
# What makes it SELL rather than BUY: income from others at least 25% of the yearly price.
SELL_SIGNAL = 4


@dataclass(frozen=True)
class CriterionScore:
    key: str
    group: str
    score: int  # 0-5
    weight: Decimal
    weighted: Decimal  # weight × score
    figures: dict[str, str]  # the numbers used, as people read them
    rule: str  # the rule that gave the score, in words
    threshold: int | None
    passed: bool

    def as_dict(self) -> dict:
        """JSON-ready: Decimals as strings."""
        return {
            "key": self.key,
            "group": self.group,
            "score": self.score,
            "weight": str(self.weight),
            "weighted": str(self.weighted),
            "threshold": self.threshold,
            "passed": self.passed,
            "rule": self.rule,
            "figures": dict(self.figures),
        }


@dataclass(frozen=True)
class Assessment:
    scores: tuple[CriterionScore, ...]
    total: Decimal  # 0-100, to one decimal place
    failed_thresholds: tuple[str, ...]  # criterion keys
    recommendation: str  # MAKE | BUY | SELL
    reasons: tuple[str, ...]
    whole_life: dict[str, Decimal]

    def as_dict(self) -> dict:
        return {
            "engine_version": ENGINE_VERSION,
            "scores": [s.as_dict() for s in self.scores],
            "total": str(self.total),
            "failed_thresholds": list(self.failed_thresholds),
            "recommendation": self.recommendation,
            "reasons": list(self.reasons),
            "whole_life": {k: str(v) for k, v in self.whole_life.items()},
        }


@dataclass(frozen=True)
class Evaluation:
    """Everything that depends on the figures alone: every rule's result, whatever the weights.
    Worked out once, so that re-weighting (sensitivity) costs a few multiplications."""

    figures: Figures
    facts: Facts
    results: dict[str, Scored]


def evaluate(figures: Figures) -> Evaluation:
    if figures.term_years < 1 or len(figures.yearly_prices) != figures.term_years:
        raise ValueError(
            f"The figures need a term of 1 year or more and a price for each year: got a "
            f"{figures.term_years}-year term and {len(figures.yearly_prices)} prices."
        )
    facts = facts_of(figures)
    return Evaluation(figures, facts, {key: rule(figures, facts) for key, rule in RULES.items()})


def check(criteria: Sequence[CriterionSpec]) -> tuple[CriterionSpec, ...]:
    """The criteria, validated, with whole-number weights turned into Decimals. ValueError names
    what is wrong: an unknown key (no rule for it), a repeated key, a group, weight or threshold
    out of range."""
    criteria = tuple(criteria)
    if not criteria:
        raise ValueError("A framework needs at least one criterion.")
    unknown = sorted({c.key for c in criteria} - RULES.keys())
    if unknown:
        raise ValueError(
            f"Unknown criterion keys: {', '.join(unknown)}. Known: {', '.join(RULES)}."
        )
    keys = [c.key for c in criteria]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"Criterion keys used more than once: {', '.join(repeated)}.")
    checked = []
    for c in criteria:
        if c.group not in GROUPS:
            raise ValueError(f"{c.key}: group must be one of {', '.join(GROUPS)}, not {c.group!r}.")
        weight = c.weight
        if isinstance(weight, int) and not isinstance(weight, bool):
            weight = Decimal(weight)
        if not isinstance(weight, Decimal) or not weight.is_finite() or weight <= 0:
            raise ValueError(f"{c.key}: weight must be a Decimal above 0, not {c.weight!r}.")
        if c.threshold is not None and (
            not isinstance(c.threshold, int) or not 0 <= c.threshold <= SCALE
        ):
            raise ValueError(f"{c.key}: threshold must be 0 to {SCALE} or None.")
        checked.append(replace(c, weight=weight) if weight is not c.weight else c)
    return tuple(checked)


def weighted_total(pairs: Iterable[tuple[Decimal, int]]) -> Decimal:
    """Σ(weight × score) / (5 × Σ weight) × 100, to one decimal place (half up)."""
    weights = points = ZERO
    for weight, score in pairs:
        weights += weight
        points += weight * score
    return (points * 100 / (SCALE * weights)).quantize(TENTH, ROUND_HALF_UP)


def failed_thresholds(evaluation: Evaluation, criteria: Sequence[CriterionSpec]) -> tuple[str, ...]:
    return tuple(
        c.key
        for c in criteria
        if c.threshold is not None and evaluation.results[c.key].score < c.threshold
    )


def recommend(evaluation: Evaluation, *, total: Decimal, failed: Sequence[str]) -> str:
    """The recommendation alone (sensitivity calls it hundreds of times)."""
    return _verdict(evaluation, total=total, failed=failed)[0]


def _cheaper(x: Facts) -> tuple[bool, bool]:
    """(cheaper over the term, cheaper in present value): by 0.1% or more, as shown."""
    return (
        x.saving is not None and x.saving > 0,
        x.npv_saving is not None and x.npv_saving > 0,
    )


def _verdict(evaluation: Evaluation, *, total: Decimal, failed: Sequence[str]) -> tuple[str, str]:
    """(recommendation, which rule decided it). The rules, in order — the first that applies:"""
    results = evaluation.results
    if failed:
        return MAKE, "disqualified"
    if not all(_cheaper(evaluation.facts)):
        return MAKE, "not_cheaper"
    if results["deliverability"].score < DELIVERABLE:
        return MAKE, "not_deliverable"
    if total < PASS_MARK:
        return MAKE, "below_pass_mark"
    if results["trading_income"].score >= SELL_SIGNAL:
        return SELL, "sell"
    return BUY, "buy"


def assess(figures: Figures, criteria: Sequence[CriterionSpec]) -> Assessment:
    """Scores `figures` against `criteria` and recommends MAKE, BUY or SELL, with reasons."""
    criteria = check(criteria)
    evaluation = evaluate(figures)
    scores = tuple(_criterion_score(c, evaluation.results[c.key]) for c in criteria)
    total = weighted_total((s.weight, s.score) for s in scores)
    failed = tuple(s.key for s in scores if not s.passed)
    recommendation, step = _verdict(evaluation, total=total, failed=failed)
    x = evaluation.facts
    return Assessment(
        scores=scores,
        total=total,
        failed_thresholds=failed,
        recommendation=recommendation,
        reasons=_reasons(evaluation, step, total=total, scores=scores),
        whole_life={
            "npv_bid": x.npv_bid,
            "npv_in_house": x.npv_in_house,
            "npv_saving": x.npv_in_house - x.npv_bid,
            "cost_bid": x.cost_bid,
            "cost_in_house": x.cost_in_house,
            "discount_rate": DISCOUNT_RATE,
        },
    )


def _criterion_score(spec: CriterionSpec, scored: Scored) -> CriterionScore:
    return CriterionScore(
        key=spec.key,
        group=spec.group,
        score=scored.score,
        weight=spec.weight,
        weighted=spec.weight * scored.score,
        figures=scored.figures,
        rule=scored.rule,
        threshold=spec.threshold,
        passed=spec.threshold is None or scored.score >= spec.threshold,
    )


# --- Reasons, in plain English ----------------------------------------------------------------


def _compared(bid: Decimal, in_house: Decimal, saving: Decimal | None) -> str:
    if saving is not None and saving > 0:
        return f"a saving of {saving}%"
    if bid > in_house:
        return f"{pounds(bid - in_house)} more than keeping it in-house"
    return "no saving worth counting (under 0.1%)"


def _reasons(evaluation: Evaluation, step: str, *, total, scores) -> tuple[str, ...]:
    f, x, results = evaluation.figures, evaluation.facts, evaluation.results
    term = f"{f.term_years}-year term"
    if x.saving is None:
        reasons = ["The service has no net budget, so no bid can be shown to save KCC money."]
    else:
        reasons = [
            f"Over the {term} the bid would cost KCC {pounds(x.cost_bid)} (yearly prices, "
            f"transition costs and any grant) against {pounds(x.cost_in_house)} if the service "
            f"stays in-house: {_compared(x.cost_bid, x.cost_in_house, x.saving)}.",
            f"In today's money (each year discounted at {RATE_SHOWN}, the HM Treasury "
            f"Green Book rate) the bid costs {pounds(x.npv_bid)} against "
            f"{pounds(x.npv_in_house)} in-house: "
            f"{_compared(x.npv_bid, x.npv_in_house, x.npv_saving)}.",
        ]
    if f.scope == "part":
        reasons.append(
            "The bid is for part of the service but KCC's net budget is the whole service's, so "
            "the saving is overstated: officers must compare the bid with what that part costs "
            "in-house before relying on this recommendation."
        )
    deliverable = results["deliverability"].score
    if step == "disqualified":
        for s in scores:
            if not s.passed:
                title = DEFAULT_TITLES[s.key][0]
                reasons.append(f"{title} scored {s.score}, below its threshold of {s.threshold}.")
        reasons.append("MAKE: the bid is disqualified, so the service stays in-house.")
    elif step == "not_cheaper":
        over_term, present = _cheaper(x)
        where = (
            "in today's money"
            if over_term
            else "over the term"
            if present
            else "over the term or in today's money"
        )
        reasons.append(f"MAKE: the bid is not cheaper than keeping the service in-house {where}.")
    elif step == "not_deliverable":
        reasons.append(
            f"MAKE: the bid is cheaper, but deliverability and financial standing scores "
            f"{deliverable}, below the {DELIVERABLE} needed to recommend a change of provider."
        )
    elif step == "below_pass_mark":
        reasons.append(
            f"MAKE: the bid is cheaper and deliverable, but its weighted total of {total} is "
            f"below the {PASS_MARK} needed to recommend a change of provider."
        )
    elif step == "sell":
        share = percent_of(f.external_income, x.average_price) if x.average_price else None
        of_price = f", {share}% of the yearly price" if share is not None else ""
        reasons.append(
            f"SELL: the bid is cheaper, deliverable (score {deliverable}) and its weighted total "
            f"of {total} reaches {PASS_MARK}; its income from other customers "
            f"({pounds(f.external_income)} a year{of_price}) shows a market for the service, so "
            "KCC should trade it, for example through a trading company with this bidder."
        )
    else:
        reasons.append(
            f"BUY: the bid is cheaper, deliverable (score {deliverable}) and its weighted total "
            f"of {total} reaches {PASS_MARK}: commission this bidder."
        )
    return tuple(reasons)
