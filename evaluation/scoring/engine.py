"""Assessing a business case's figures against a framework's criteria (`assess`), and reading
officers' scores by the same rules (`read_scores`): scores, weighted total, thresholds and the
make / buy / sell recommendation with its reasons.

Both go through verdict.judge and reasons.reasons, differing only in where each score comes
from, so that moderation's reading of a consensus can never disagree with the machine's about
what the same scores mean.

Pure: no database, no Django, Decimal for every sum of money. docs/scoring.md states the method
in words; a change to a rule, a band or a reason changes ENGINE_VERSION, so a stored assessment
always says which method produced it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from evaluation.figures import Figures
from evaluation.scoring.money import DISCOUNT_RATE
from evaluation.scoring.reasons import reasons
from evaluation.scoring.rules import RULES, Facts, Scored, facts_of
from evaluation.scoring.spec import CriterionSpec
from evaluation.scoring.verdict import SCALE, ScoreOf, judge, verdict

# 1.1: reasons name every signal a MAKE overrode, and a near sell signal on a BUY; the SELL
# reason gives the trading income score. Scores, totals and recommendations are as in 1.0.
# 1.2: rival bids are ranked among those already assessed against the same framework, from
# their stored totals, equal totals in order of submission. All else is as in 1.1.
# 1.3: a ranking's one-at-a-time changes give the order of the bids only where it changed (where
# it holds, it is the ranking's own order). All else is as in 1.2.
# 1.4: an assessment no longer stores a ranking of the service's bids: it is worked out when read
# (evaluation/rankings.py), over every live bid assessed against the framework, from the totals
# each assessment stores. Scores, totals, recommendations and sensitivity are as in 1.3.
ENGINE_VERSION = "1.4"

GROUPS = ("make_buy_sell", "public_value")


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


def failed_thresholds(evaluation: Evaluation, criteria: Sequence[CriterionSpec]) -> tuple[str, ...]:
    return tuple(
        c.key
        for c in criteria
        if c.threshold is not None and evaluation.results[c.key].score < c.threshold
    )


def _machine(evaluation: Evaluation) -> ScoreOf:
    """The engine's own score for each criterion."""
    results = evaluation.results
    return lambda key: results[key].score


def recommend(evaluation: Evaluation, *, total: Decimal, failed: Sequence[str]) -> str:
    """The recommendation alone (sensitivity calls it hundreds of times)."""
    return verdict(evaluation.facts, total=total, failed=failed, score_of=_machine(evaluation))[0]


def assess(
    figures: Figures,
    criteria: Sequence[CriterionSpec],
    *,
    evaluation: Evaluation | None = None,
) -> Assessment:
    """Scores `figures` against `criteria` and recommends MAKE, BUY or SELL, with reasons.
    `evaluation` is evaluate(figures), where the caller has it already (sensitivity needs it
    too)."""
    criteria = check(criteria)
    evaluation = evaluation or evaluate(figures)
    scores = tuple(_criterion_score(c, evaluation.results[c.key]) for c in criteria)
    score_of = _machine(evaluation)
    judgement = judge(evaluation.facts, criteria, score_of=score_of)
    x = evaluation.facts
    return Assessment(
        scores=scores,
        total=judgement.total,
        failed_thresholds=judgement.failed,
        recommendation=judgement.recommendation,
        reasons=reasons(figures, x, judgement, criteria=criteria, score_of=score_of),
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


# --- Officers' scores, read by the machine's rules ----------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What officers' scores (a moderated consensus, say) come to under the machine's rules, to
    show beside the machine's own assessment. Built by the same code as `assess`, so where the
    officers agree with every score, the two read the same."""

    total: Decimal  # 0-100, to one decimal place
    recommendation: str  # MAKE | BUY | SELL
    failed_thresholds: tuple[str, ...]  # criterion keys
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        """JSON-ready: Decimals as strings."""
        return {
            "engine_version": ENGINE_VERSION,
            "total": str(self.total),
            "recommendation": self.recommendation,
            "failed_thresholds": list(self.failed_thresholds),
            "reasons": list(self.reasons),
        }


def read_scores(
    figures: Figures, criteria: Sequence[CriterionSpec], scores: Mapping[str, int]
) -> Reading:
    """The weighted total, thresholds, recommendation and reasons of officers' `scores` (0-5 for
    every criterion of `criteria`), by the rules `assess` applies to its own scores.

    Whether the bid is cheaper comes from `figures`: officers do not re-score the money facts.
    The deliverability and trading income tests use the officers' scores; where the framework
    has no such criterion, as in `assess`, they use the machine's. ValueError names a criterion
    without a score from 0 to 5, or a score for a criterion the framework does not have."""
    criteria = check(criteria)
    scores = dict(scores)  # read once: a caller's later change cannot alter this reading
    keys = {c.key for c in criteria}
    unknown = sorted(set(scores) - keys)
    if unknown:
        raise ValueError(
            f"Scores given for criteria this framework does not have: {', '.join(unknown)}. "
            "Score only the framework's criteria."
        )
    for c in criteria:
        score = scores.get(c.key)
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= SCALE:
            raise ValueError(
                f"{c.key}: give a whole-number score from 0 to {SCALE}, not {score!r}."
            )
    evaluation = evaluate(figures)
    machine = _machine(evaluation)

    def score_of(key: str) -> int:
        return scores[key] if key in keys else machine(key)

    judgement = judge(evaluation.facts, criteria, score_of=score_of)
    return Reading(
        total=judgement.total,
        recommendation=judgement.recommendation,
        failed_thresholds=judgement.failed,
        reasons=reasons(figures, evaluation.facts, judgement, criteria=criteria, score_of=score_of),
    )
