"""How much does a recommendation (or the ranking of rival bids) depend on the weights?

A criterion's score depends on the figures alone, so varying the weights changes only totals;
the recommendation can change only where it turns on the total (the pass mark of 50 for BUY and
SELL). Two tests, both within ±20% of each weight:
  - one at a time: each weight at 80% and at 120% of itself, the others as they are;
  - `samples` random weight vectors, each weight drawn uniformly within ±20% of itself, from
    random.Random(seed), so the same inputs always give the same answer.

Cheap, because the work that does not depend on the case is done once: the random vectors are
the same for every case with the same seed, sample count and number of criteria, so they are
drawn once a process (`_factors`); and a total is whole-number arithmetic in tenths of a mark
(`_tenths`), which gives exactly what `weighted_total`'s Decimal sums give (a test checks). A
bid's totals under every varied weighting (`Totals`) are kept with its assessment, so ranking a
new bid against its rivals reads their stored totals instead of scoring them again (`rank`).

Pure: no database. Results are frozen dataclasses with `.as_dict()` for a JSONField (Decimals as
strings). docs/scoring.md states the method.
"""

import random
import sys
from array import array
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import pairwise, repeat
from operator import add, floordiv, mul

from evaluation.figures import Figures
from evaluation.scoring import (
    CriterionSpec,
    Evaluation,
    check,
    evaluate,
    failed_thresholds,
    recommend,
)
from evaluation.scoring.verdict import SCALE

VARIATION = Decimal("0.2")
CHANGES = (("-20%", 1 - VARIATION), ("+20%", 1 + VARIATION))
STEPS = 200_000  # random factors are drawn on a grid of 1 in a million within ±20%
MILLION = 1_000_000
SHARE = Decimal("0.001")


# --- Totals under varied weights, in whole numbers -----------------------------------------


@dataclass(frozen=True)
class Totals:
    """A bid's weighted totals in tenths of a mark (728 is 72.8): with the framework's own
    weights, under each one-at-a-time change (criterion by criterion, -20% then +20%), and under
    each random weight vector. All that ranking bids against each other needs, so it is stored
    with an assessment (`as_dict`) and read back for the next bid on the same service.

    The random vectors' totals are kept packed in one whole number, 16 bits each (the first
    vector's in the lowest bits; a total is at most 1000), so that comparing two bids under
    every vector is a few operations on whole numbers (`_ahead`) and reading them back is one
    `int(text, 16)`. `samples` unpacks them."""

    base: int
    changes: Sequence[int]
    packed: int
    count: int  # random vectors

    @classmethod
    def of(cls, base: int, changes: Sequence[int], samples: Sequence[int]) -> "Totals":
        packed = int.from_bytes(array("H", samples).tobytes(), sys.byteorder)
        return cls(base, changes, packed, len(samples))

    @property
    def samples(self) -> list[int]:
        return array("H", self.packed.to_bytes(2 * self.count, sys.byteorder)).tolist()

    def as_dict(self) -> dict:
        """JSON-ready: the random vectors' totals as hexadecimal, four digits each."""
        return {
            "base": self.base,
            "changes": list(self.changes),
            "samples": f"{self.packed:0{4 * self.count}x}" if self.count else "",
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Totals":
        text = data["samples"]
        return cls(int(data["base"]), data["changes"], int(text or "0", 16), len(text) // 4)


def totals(
    evaluation: Evaluation, criteria: Sequence[CriterionSpec], *, samples: int, seed: int
) -> Totals:
    """The bid's totals under the framework's weights, each one-at-a-time change and `samples`
    random vectors drawn from `seed`. `criteria` must have been checked (scoring.check)."""
    scores = [evaluation.results[c.key].score for c in criteria]
    return totals_of_scores(scores, criteria, samples=samples, seed=seed)


def totals_of_scores(
    scores: Sequence[int], criteria: Sequence[CriterionSpec], *, samples: int, seed: int
) -> Totals:
    """`totals` from the criteria's scores alone (0-5 each, in the criteria's order): the
    weights change totals, never scores."""
    weighting = _weighting(tuple(c.weight for c in criteria), samples=samples, seed=seed)
    weights = weighting.weights
    return Totals.of(
        base=_tenths(sum(map(mul, weights, scores)), sum(weights)),
        changes=weighting.changes.tenths(scores),
        samples=weighting.samples.tenths(scores),
    )


@dataclass(frozen=True)
class _Vectors:
    """Varied weightings of one framework, laid out so that a bid's totals under all of them
    are a few whole-vector operations: `points[k][s]` is, for every weighting, criterion k's
    weight in it times a score of s; `fives` and `tens` are 5 and 10 times each weighting's sum
    of weights (the denominators of `_tenths`)."""

    points: tuple[tuple[tuple[int, ...], ...], ...]
    fives: tuple[int, ...]
    tens: tuple[int, ...]

    @classmethod
    def of(cls, weights: Sequence[int], factors: Sequence[Sequence[int]]) -> "_Vectors":
        varied = [[w * f for w, f in zip(weights, vector, strict=True)] for vector in factors]
        sums = [sum(v) for v in varied]
        return cls(
            points=tuple(
                tuple(tuple(score * v[k] for v in varied) for score in range(SCALE + 1))
                for k in range(len(weights))
            ),
            fives=tuple(SCALE * s for s in sums),
            tens=tuple(2 * SCALE * s for s in sums),
        )

    def tenths(self, scores: Sequence[int]) -> tuple[int, ...]:
        """`_tenths` under every weighting at once."""
        points = map(sum, zip(*(self.points[k][s] for k, s in enumerate(scores)), strict=True))
        return tuple(map(floordiv, map(add, map(mul, points, repeat(2000)), self.fives), self.tens))


@dataclass(frozen=True)
class _Weighting:
    weights: tuple[int, ...]
    changes: _Vectors
    samples: _Vectors


@lru_cache(maxsize=16)
def _weighting(weights: tuple[Decimal, ...], *, samples: int, seed: int) -> _Weighting:
    """What does not depend on the bid, worked out once a process for each framework: its
    weights as whole numbers, the one-at-a-time changes and the random vectors."""
    whole = _whole(weights)
    return _Weighting(
        weights=tuple(whole),
        changes=_Vectors.of(whole, _change_factors(len(whole))),
        samples=_Vectors.of(whole, _factors(seed, samples, len(whole))),
    )


def _whole(weights) -> list[int]:
    """The weights as whole numbers in the same proportions (15.00 and 6.50 as 1500 and 650):
    a total is a ratio of weighted sums, so scaling every weight alike changes nothing."""
    weights = list(weights)
    places = max(max(-w.as_tuple().exponent, 0) for w in weights)
    return [int(w.scaleb(places)) for w in weights]


def _tenths(points: int, weights: int) -> int:
    """Σ(weight × score) / (5 × Σ weight) × 100 in tenths, rounded half up: the whole-number
    form of scoring.weighted_total (points and weights as scaled by the same factors)."""
    return (2000 * points + SCALE * weights) // (2 * SCALE * weights)


def _decimal(tenths: int) -> Decimal:
    return _DECIMALS[tenths] if 0 <= tenths <= 1000 else Decimal(tenths).scaleb(-1)


# Every total there can be (0.0 to 100.0), made once: a ranking of 50 bids asks for thousands.
_DECIMALS = [Decimal(tenths).scaleb(-1) for tenths in range(1001)]


@lru_cache(maxsize=16)
def _change_factors(count: int) -> tuple[tuple[int, ...], ...]:
    """Each weight in turn at 80% and 120% of itself, in millionths, the others at 100%."""
    return tuple(
        tuple(int(factor * MILLION) if j == i else MILLION for j in range(count))
        for i in range(count)
        for _, factor in CHANGES
    )


@lru_cache(maxsize=16)
def _factors(seed: int, samples: int, count: int) -> tuple[tuple[int, ...], ...]:
    """`samples` random weight vectors for `count` criteria, each factor 0.8 to 1.2 in steps of a
    millionth (in millionths, as whole numbers), from random.Random(seed). The same for every
    case, so drawn once a process."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    return tuple(
        tuple(MILLION + rng.randint(-STEPS, STEPS) for _ in range(count)) for _ in range(samples)
    )


def _change_labels(criteria: Sequence[CriterionSpec]) -> list[tuple[str, str]]:
    return [(c.key, label) for c in criteria for label, _ in CHANGES]


# --- One bid: does its recommendation hold? ------------------------------------------------


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
    totals: Totals  # every total above, in tenths: what ranking reads (stored apart)

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
    figures: Figures,
    criteria: Sequence[CriterionSpec],
    *,
    samples: int = 300,
    seed: int = 0,
    evaluation: Evaluation | None = None,
) -> Sensitivity:
    """Whether the recommendation for `figures` holds when the weights move within ±20%.
    `evaluation` is evaluate(figures), where the caller has it already."""
    if samples < 0:
        raise ValueError("samples must be 0 or more.")
    criteria = check(criteria)
    evaluation = evaluation or evaluate(figures)
    failed = failed_thresholds(evaluation, criteria)
    found = totals(evaluation, criteria, samples=samples, seed=seed)
    drawn = found.samples
    # The recommendation turns on the total alone (the weights change nothing else), and the
    # totals take few distinct values: ask the rules once for each.
    memo: dict[int, str] = {}

    def recommendation_at(tenths: int) -> str:
        if tenths not in memo:
            memo[tenths] = recommend(evaluation, total=_decimal(tenths), failed=failed)
        return memo[tenths]

    recommendation = recommendation_at(found.base)
    changes = tuple(
        WeightChange(
            key,
            label,
            _decimal(tenths),
            recommendation_at(tenths),
            recommendation_at(tenths) == recommendation,
        )
        for (key, label), tenths in zip(_change_labels(criteria), found.changes, strict=True)
    )
    held = sum(
        count
        for tenths, count in Counter(drawn).items()
        if recommendation_at(tenths) == recommendation
    )
    return Sensitivity(
        recommendation=recommendation,
        total=_decimal(found.base),
        one_at_a_time=changes,
        samples=samples,
        seed=seed,
        held=held,
        lowest_total=_decimal(min(drawn)) if samples else None,
        highest_total=_decimal(max(drawn)) if samples else None,
        totals=found,
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
        """The order only where it changed: where it holds it is the ranking's own order, and
        writing it out for every change made a stored ranking grow by 22 ids for each bid."""
        found = {
            "key": self.key,
            "change": self.change,
            "holds": self.holds,
            "top_holds": self.top_holds,
        }
        if not self.holds:
            found["order"] = _ids(self.order)
        return found


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


@dataclass(frozen=True)
class Bid:
    """A bid as ranking reads it: worked out from its figures (`ranking`), or read back from its
    stored assessment (evaluation.assessments)."""

    id: Hashable
    recommendation: str
    disqualified: bool
    totals: Totals


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
    if samples < 0:
        raise ValueError("samples must be 0 or more.")
    criteria = check(criteria)
    bids = []
    for id_, figures in figures_by_case.items():
        evaluation = evaluate(figures)
        found = totals(evaluation, criteria, samples=samples, seed=seed)
        failed = failed_thresholds(evaluation, criteria)
        recommendation = recommend(evaluation, total=_decimal(found.base), failed=failed)
        bids.append(Bid(id_, recommendation, bool(failed), found))
    return rank(bids, criteria, samples=samples, seed=seed)


def rank(
    bids: Sequence[Bid], criteria: Sequence[CriterionSpec], *, samples: int, seed: int
) -> Ranking:
    """`ranking`, from each bid's totals: ties keep the order of `bids`. Every bid's totals must
    come from the same criteria, sample count and seed (`totals`); ValueError if they cannot."""
    if not bids:
        raise ValueError("There are no bids to rank.")
    labels = _change_labels(criteria)
    for bid in bids:
        if bid.totals.count != samples or len(bid.totals.changes) != len(labels):
            raise ValueError(f"{bid.id}: its totals were not worked out for these weights.")

    positions = range(len(bids))

    def order(tenths: Sequence[int]) -> tuple[int, ...]:
        # Best first; a reversed sort is still stable, so ties keep the order given.
        return tuple(sorted(positions, key=tenths.__getitem__, reverse=True))

    base = order([b.totals.base for b in bids])
    ids = [b.id for b in bids]
    changes = []
    by_change = zip(*(b.totals.changes for b in bids), strict=True)
    for (key, label), tenths in zip(labels, by_change, strict=True):
        varied = order(tenths)
        changes.append(
            RankChange(
                key,
                label,
                tuple(map(ids.__getitem__, varied)),
                varied == base,
                varied[0] == base[0],
            )
        )
    # Under each random vector, bid a stays ahead of bid b when its total is higher, or equal
    # and a was given first. `_ahead` answers for every vector at once, as a mask: the order
    # holds where every neighbouring pair in it keeps its place, the top where the top bid stays
    # ahead of every other.
    high = _high_bits(samples)
    order_mask = top_mask = high
    for a, b in pairwise(base):
        order_mask &= _ahead(bids[a].totals, bids[b].totals, high, given_first=a < b)
    for b in base[1:]:
        top_mask &= _ahead(bids[base[0]].totals, bids[b].totals, high, given_first=base[0] < b)
    return Ranking(
        order=tuple(
            RankedBid(
                bids[n].id,
                _decimal(bids[n].totals.base),
                bids[n].recommendation,
                bids[n].disqualified,
            )
            for n in base
        ),
        one_at_a_time=tuple(changes),
        samples=samples,
        seed=seed,
        order_held=order_mask.bit_count(),
        top_held=top_mask.bit_count(),
    )


@lru_cache(maxsize=16)
def _high_bits(count: int) -> int:
    """The top bit of each of `count` 16-bit slots."""
    return int.from_bytes(b"\x00\x80" * count, "little")


def _ahead(a: Totals, b: Totals, high: int, *, given_first: bool) -> int:
    """Under which random vectors a's total is at least b's (`given_first`) or above it: the top
    bit of each 16-bit slot set where it is. Each slot of (a's totals with the top bit set) minus
    b's totals is 32,768 + a - b, from 31,767 to 33,768, so no slot borrows from the next, and
    its top bit is set exactly when a >= b; taking one more from each slot asks a > b instead."""
    difference = (a.packed | high) - b.packed
    if not given_first:
        difference -= high >> 15  # one in each slot
    return difference & high


def _share(count: int, samples: int) -> Decimal | None:
    if samples == 0:
        return None
    return (Decimal(count) / samples).quantize(SHARE, ROUND_HALF_UP)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _ids(values) -> list:
    """`_id` of each (a ranking holds dozens of orders of every bid: kept cheap)."""
    return [v if type(v) is str or type(v) is int else _id(v) for v in values]


def _id(value: Hashable):
    """Ids as JSON can hold them: whole numbers and strings as they are, anything else as text."""
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else str(value)
