"""How much does a recommendation (or the ranking of rival bids) depend on the weights?

A criterion's score depends on the figures alone, so varying the weights changes only totals;
the recommendation can change only where it turns on the total (the pass mark of 50 for BUY and
SELL). Two tests, both within ±20% of each weight:
  - one at a time: each weight at 80% and at 120% of itself, the others as they are;
  - `samples` random weight vectors, each weight drawn uniformly within ±20% of itself, from
    random.Random(seed), so the same inputs always give the same answer.

Pure: no database. Results are frozen dataclasses with `.as_dict()` for a JSONField (Decimals as
strings). docs/scoring.md states the method.
"""

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from evaluation.figures import Figures
from evaluation.scoring import (
    CriterionSpec,
    Evaluation,
    check,
    evaluate,
    failed_thresholds,
    recommend,
    weighted_total,
)

VARIATION = Decimal("0.2")
CHANGES = (("-20%", 1 - VARIATION), ("+20%", 1 + VARIATION))
STEPS = 200_000  # random factors are drawn on a grid of 1 in a million within ±20%
SHARE = Decimal("0.001")


@dataclass(frozen=True)
class WeightChange:
    key: str
    change: str  # "-20%" | "+20%"
    total: Decimal
    recommendation: str
    holds: bool

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "change": self.change,
            "total": str(self.total),
            "recommendation": self.recommendation,
            "holds": self.holds,
        }


@dataclass(frozen=True)
class Sensitivity:
    recommendation: str  # with the framework's own weights
    total: Decimal
    one_at_a_time: tuple[WeightChange, ...]
    samples: int
    seed: int
    held: int  # random weight vectors under which the recommendation held
    lowest_total: Decimal | None  # over the random vectors
    highest_total: Decimal | None

    @property
    def holds_share(self) -> Decimal | None:
        return _share(self.held, self.samples)

    @property
    def flips(self) -> tuple[WeightChange, ...]:
        return tuple(c for c in self.one_at_a_time if not c.holds)

    @property
    def robust(self) -> bool:
        return not self.flips and self.held == self.samples

    def as_dict(self) -> dict:
        return {
            "recommendation": self.recommendation,
            "total": str(self.total),
            "robust": self.robust,
            "one_at_a_time": [c.as_dict() for c in self.one_at_a_time],
            "flips": [f"{c.key} {c.change}: {c.recommendation}" for c in self.flips],
            "samples": self.samples,
            "seed": self.seed,
            "held": self.held,
            "holds_share": _text(self.holds_share),
            "lowest_total": _text(self.lowest_total),
            "highest_total": _text(self.highest_total),
        }


def sensitivity(
    figures: Figures, criteria: Sequence[CriterionSpec], *, samples: int = 300, seed: int = 0
) -> Sensitivity:
    """Whether the recommendation for `figures` holds when the weights move within ±20%."""
    if samples < 0:
        raise ValueError("samples must be 0 or more.")
    criteria = check(criteria)
    evaluation = evaluate(figures)
    scores = [evaluation.results[c.key].score for c in criteria]
    failed = failed_thresholds(evaluation, criteria)
    weights = [c.weight for c in criteria]

    def outcome(weights) -> tuple[Decimal, str]:
        total = weighted_total(zip(weights, scores, strict=True))
        return total, recommend(evaluation, total=total, failed=failed)

    total, recommendation = outcome(weights)
    changes = []
    for i, criterion in enumerate(criteria):
        for label, factor in CHANGES:
            varied = [w * factor if j == i else w for j, w in enumerate(weights)]
            new_total, new_recommendation = outcome(varied)
            changes.append(
                WeightChange(
                    criterion.key,
                    label,
                    new_total,
                    new_recommendation,
                    new_recommendation == recommendation,
                )
            )
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    held, totals = 0, []
    for _ in range(samples):
        sample_total, sample_recommendation = outcome(_random_weights(rng, weights))
        totals.append(sample_total)
        held += sample_recommendation == recommendation
    return Sensitivity(
        recommendation=recommendation,
        total=total,
        one_at_a_time=tuple(changes),
        samples=samples,
        seed=seed,
        held=held,
        lowest_total=min(totals, default=None),
        highest_total=max(totals, default=None),
    )


# --- Ranking rival bids for one service ----------------------------------------------------


@dataclass(frozen=True)
class RankedBid:
    id: Hashable
    total: Decimal
    recommendation: str
    disqualified: bool

    def as_dict(self) -> dict:
        return {
            "id": _id(self.id),
            "total": str(self.total),
            "recommendation": self.recommendation,
            "disqualified": self.disqualified,
        }


@dataclass(frozen=True)
class RankChange:
    key: str
    change: str
    order: tuple[Hashable, ...]  # ids, best first
    holds: bool  # the whole order unchanged
    top_holds: bool

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "change": self.change,
            "order": [_id(i) for i in self.order],
            "holds": self.holds,
            "top_holds": self.top_holds,
        }


@dataclass(frozen=True)
class Ranking:
    order: tuple[RankedBid, ...]  # with the framework's own weights, best first
    one_at_a_time: tuple[RankChange, ...]
    samples: int
    seed: int
    order_held: int  # random weight vectors under which the whole order held
    top_held: int  # ... under which the top bid stayed top

    @property
    def order_holds_share(self) -> Decimal | None:
        return _share(self.order_held, self.samples)

    @property
    def top_holds_share(self) -> Decimal | None:
        return _share(self.top_held, self.samples)

    def as_dict(self) -> dict:
        return {
            "order": [b.as_dict() for b in self.order],
            "one_at_a_time": [c.as_dict() for c in self.one_at_a_time],
            "samples": self.samples,
            "seed": self.seed,
            "order_held": self.order_held,
            "order_holds_share": _text(self.order_holds_share),
            "top_held": self.top_held,
            "top_holds_share": _text(self.top_holds_share),
        }


def ranking(
    figures_by_case: Mapping[Hashable, Figures],
    criteria: Sequence[CriterionSpec],
    *,
    samples: int = 300,
    seed: int = 0,
) -> Ranking:
    """Ranks rival bids for one service by weighted total (ties keep the mapping's order) and
    says how often that order, and the top bid, survive weights within ±20%. The random weight
    vectors are the ones `sensitivity` draws for the same seed."""
    if not figures_by_case:
        raise ValueError("There are no bids to rank.")
    if samples < 0:
        raise ValueError("samples must be 0 or more.")
    criteria = check(criteria)
    ids = list(figures_by_case)
    evaluations: list[Evaluation] = [evaluate(figures_by_case[i]) for i in ids]
    scores = [[e.results[c.key].score for c in criteria] for e in evaluations]
    weights = [c.weight for c in criteria]

    def totals(weights) -> list[Decimal]:
        return [weighted_total(zip(weights, s, strict=True)) for s in scores]

    def order(totals) -> tuple[int, ...]:
        return tuple(sorted(range(len(ids)), key=lambda n: (-totals[n], n)))

    base_totals = totals(weights)
    base = order(base_totals)
    ranked = []
    for n in base:
        failed = failed_thresholds(evaluations[n], criteria)
        ranked.append(
            RankedBid(
                id=ids[n],
                total=base_totals[n],
                recommendation=recommend(evaluations[n], total=base_totals[n], failed=failed),
                disqualified=bool(failed),
            )
        )
    changes = []
    for i, criterion in enumerate(criteria):
        for label, factor in CHANGES:
            varied = order(totals([w * factor if j == i else w for j, w in enumerate(weights)]))
            changes.append(
                RankChange(
                    criterion.key,
                    label,
                    tuple(ids[n] for n in varied),
                    varied == base,
                    varied[0] == base[0],
                )
            )
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    order_held = top_held = 0
    for _ in range(samples):
        varied = order(totals(_random_weights(rng, weights)))
        order_held += varied == base
        top_held += varied[0] == base[0]
    return Ranking(
        order=tuple(ranked),
        one_at_a_time=tuple(changes),
        samples=samples,
        seed=seed,
        order_held=order_held,
        top_held=top_held,
    )


def _random_weights(rng: random.Random, weights: Sequence[Decimal]) -> list[Decimal]:
    """Each weight times a factor drawn uniformly from 0.8 to 1.2 (in steps of a millionth):
    whole numbers from the generator, so the arithmetic stays in Decimal."""
    return [w * (1 + Decimal(rng.randint(-STEPS, STEPS)) / 1_000_000) for w in weights]


def _share(count: int, samples: int) -> Decimal | None:
    if samples == 0:
        return None
    return (Decimal(count) / samples).quantize(SHARE, ROUND_HALF_UP)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _id(value: Hashable):
    """Ids as JSON can hold them: whole numbers and strings as they are, anything else as text."""
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else str(value)
