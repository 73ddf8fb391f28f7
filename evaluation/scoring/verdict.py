"""From scores to a recommendation: the weighted total, the thresholds, the ordered make / buy /
sell rules, and the signals a MAKE overrode.

One path for every reading of a bid's scores. The machine's assessment (engine.assess) and
officers' consensus scores read by the machine's rules (engine.read_scores) both call `judge`,
with a `score_of(key)` that says where each score comes from, so the two can never drift apart.
Money facts (whether the bid is cheaper) always come from the figures: officers score
judgements, not sums.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from evaluation.scoring.money import TENTH, ZERO
from evaluation.scoring.rules import Facts
from evaluation.scoring.spec import CriterionSpec

SCALE = 5
MAKE, BUY, SELL = "MAKE", "BUY", "SELL"
# What it takes to recommend a change of provider (BUY or SELL), once a bid is cheaper:
DELIVERABLE = 3  # deliverability and financial standing scores at least "adequate"
PASS_MARK = Decimal("50.0")  # and the weighted total is at least half the marks
# What makes it SELL rather than BUY: income from others at least 25% of the yearly price.
SELL_SIGNAL = 4
# Public value is "strong" when the public-value criteria together score at least 70% of their
# marks (the weighted total's formula over that group alone): "good" (4) on most of them. One
# criterion at 5 is not enough on its own: the default framework has six.
STRONG_PUBLIC_VALUE = Decimal("70.0")

# Which rule decided (the first that applies), in order:
DISQUALIFIED = "disqualified"
NOT_CHEAPER = "not_cheaper"
NOT_DELIVERABLE = "not_deliverable"
BELOW_PASS_MARK = "below_pass_mark"  # noqa: S105 - a rule's name, not a password
SELLS = "sell"
BUYS = "buy"

# Signals that point to a change of provider, in the order of the rules they belong to. A MAKE
# names every one the scores show, whichever rule decided, so that an officer reading MAKE knows
# what else the figures said.
SAVING = "saving"  # cheaper over the term, in today's money, or both
DELIVERABLE_ENOUGH = "deliverable"  # deliverability 3 or more, and not failing its threshold
REACHES_PASS_MARK = "pass_mark"  # noqa: S105 - the weighted total reaches the pass mark
SELL_SIGNALLED = "sell_signal"  # trading income scores 4 or more
STRONG_PUBLIC = "public_value"  # the public-value criteria score 70% or more of their marks
SIGNALS = (SAVING, DELIVERABLE_ENOUGH, REACHES_PASS_MARK, SELL_SIGNALLED, STRONG_PUBLIC)
# On BUY, a trading income score one short of the sell signal is noted: nothing overrode it.
NEAR_SELL = "near_sell"

ScoreOf = Callable[[str], int]


@dataclass(frozen=True)
class Judgement:
    """What a set of scores says under the machine's rules, before it is put into words."""

    total: Decimal
    failed: tuple[str, ...]  # criterion keys, in the framework's order
    public_value: Decimal | None  # the public-value criteria's share of their marks
    recommendation: str
    step: str  # which rule decided
    signals: tuple[str, ...]  # overridden (MAKE) or noted (BUY), in rule order


def weighted_total(pairs: Iterable[tuple[Decimal, int]]) -> Decimal:
    """Σ(weight × score) / (5 × Σ weight) × 100, to one decimal place (half up)."""
    weights = points = ZERO
    for weight, score in pairs:
        weights += weight
        points += weight * score
    return (points * 100 / (SCALE * weights)).quantize(TENTH, ROUND_HALF_UP)


def cheaper(x: Facts) -> tuple[bool, bool]:
    """(cheaper over the term, cheaper in present value): by 0.1% or more, as shown."""
    return (
        x.saving is not None and x.saving > 0,
        x.npv_saving is not None and x.npv_saving > 0,
    )


def verdict(
    x: Facts, *, total: Decimal, failed: Sequence[str], score_of: ScoreOf
) -> tuple[str, str]:
    """(recommendation, which rule decided it). The rules, in order — the first that applies.
    `score_of` gives the deliverability and trading income scores. Sensitivity calls this
    hundreds of times a case, so it stays a few comparisons."""
    if failed:
        return MAKE, DISQUALIFIED
    if not all(cheaper(x)):
        return MAKE, NOT_CHEAPER
    if score_of("deliverability") < DELIVERABLE:
        return MAKE, NOT_DELIVERABLE
    if total < PASS_MARK:
        return MAKE, BELOW_PASS_MARK
    if score_of("trading_income") >= SELL_SIGNAL:
        return SELL, SELLS
    return BUY, BUYS


def judge(x: Facts, criteria: Sequence[CriterionSpec], *, score_of: ScoreOf) -> Judgement:
    """The total, failed thresholds, recommendation and signals of `criteria` scored by
    `score_of`. `criteria` must have been checked (engine.check)."""
    marks = [(c, score_of(c.key)) for c in criteria]
    total = weighted_total((c.weight, score) for c, score in marks)
    failed = tuple(c.key for c, score in marks if c.threshold is not None and score < c.threshold)
    public = [(c.weight, score) for c, score in marks if c.group == "public_value"]
    public_value = weighted_total(public) if public else None
    recommendation, step = verdict(x, total=total, failed=failed, score_of=score_of)
    return Judgement(
        total=total,
        failed=failed,
        public_value=public_value,
        recommendation=recommendation,
        step=step,
        signals=signals(
            x, step, total=total, failed=failed, public_value=public_value, score_of=score_of
        ),
    )


def signals(
    x: Facts,
    step: str,
    *,
    total: Decimal,
    failed: Sequence[str],
    public_value: Decimal | None,
    score_of: ScoreOf,
) -> tuple[str, ...]:
    """The signals towards a change of provider that the deciding rule overrode (on a MAKE), or
    the near-sell note (on a BUY), in rule order.

    The deciding rule's own test is not among them, because it failed, with one exception: a
    bid cheaper in cash but not in today's money (or the other way round) has its one saving
    named, since it is a real saving the other measure overrode."""
    trading = score_of("trading_income")
    if step == BUYS:
        return (NEAR_SELL,) if trading == SELL_SIGNAL - 1 else ()
    if step == SELLS:
        return ()
    found = []
    if any(cheaper(x)):
        found.append(SAVING)
    if score_of("deliverability") >= DELIVERABLE and "deliverability" not in failed:
        found.append(DELIVERABLE_ENOUGH)
    if total >= PASS_MARK:
        found.append(REACHES_PASS_MARK)
    if trading >= SELL_SIGNAL:
        found.append(SELL_SIGNALLED)
    if public_value is not None and public_value >= STRONG_PUBLIC_VALUE:
        found.append(STRONG_PUBLIC)
    return tuple(found)
