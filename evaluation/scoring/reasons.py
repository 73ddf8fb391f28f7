"""The reasons for a recommendation, in plain English: what an officer or bidder reads.

In order: the cost over the term and in today's money; a warning for a bid for part of a
service; any failed thresholds; the sentence of the rule that decided (starting "MAKE:", "BUY:"
or "SELL:"); then one sentence for each signal the deciding rule overrode ("Overridden: …, but
…") or, on a BUY, a near sell signal ("Also: …, but …"). docs/scoring.md states the wording; a
change here changes ENGINE_VERSION.

The same words serve the machine's assessment and officers' scores read by the machine's rules:
every score is taken from `score_of`, every sum of money from the figures.
"""

from collections.abc import Sequence

from evaluation.figures import Figures
from evaluation.scoring.defaults import DEFAULT_TITLES
from evaluation.scoring.money import RATE_SHOWN, percent_of, pounds
from evaluation.scoring.rules import Facts
from evaluation.scoring.spec import CriterionSpec
from evaluation.scoring.verdict import (
    BELOW_PASS_MARK,
    BUYS,
    DELIVERABLE,
    DELIVERABLE_ENOUGH,
    DISQUALIFIED,
    NEAR_SELL,
    NOT_CHEAPER,
    NOT_DELIVERABLE,
    PASS_MARK,
    REACHES_PASS_MARK,
    SAVING,
    SELL_SIGNAL,
    SELL_SIGNALLED,
    SELLS,
    STRONG_PUBLIC,
    STRONG_PUBLIC_VALUE,
    Judgement,
    ScoreOf,
    cheaper,
)

OVERRIDDEN = "Overridden:"
ALSO = "Also:"


def reasons(
    f: Figures,
    x: Facts,
    judgement: Judgement,
    *,
    criteria: Sequence[CriterionSpec],
    score_of: ScoreOf,
) -> tuple[str, ...]:
    """Every reason for `judgement`, in the order the module docstring gives."""
    said = _costs(f, x)
    if f.scope == "part":
        said.append(
            "The bid is for part of the service but KCC's net budget is the whole service's, so "
            "the saving is overstated: officers must compare the bid with what that part costs "
            "in-house before relying on this recommendation."
        )
    for c in criteria:
        if c.key in judgement.failed:
            title = DEFAULT_TITLES[c.key][0]
            said.append(f"{title} scored {score_of(c.key)}, below its threshold of {c.threshold}.")
    said.append(_deciding(f, x, judgement, score_of=score_of))
    said.extend(_signal(f, x, judgement, signal, score_of=score_of) for signal in judgement.signals)
    return tuple(said)


def _costs(f: Figures, x: Facts) -> list[str]:
    if x.saving is None:
        return ["The service has no net budget, so no bid can be shown to save KCC money."]
    return [
        f"Over the {f.term_years}-year term the bid would cost KCC {pounds(x.cost_bid)} (yearly "
        f"prices, transition costs and any grant) against {pounds(x.cost_in_house)} if the "
        f"service stays in-house: {_compared(x.cost_bid, x.cost_in_house, x.saving)}.",
        f"In today's money (each year discounted at {RATE_SHOWN}, the HM Treasury "
        f"Green Book rate) the bid costs {pounds(x.npv_bid)} against "
        f"{pounds(x.npv_in_house)} in-house: "
        f"{_compared(x.npv_bid, x.npv_in_house, x.npv_saving)}.",
    ]


def _compared(bid, in_house, saving) -> str:
    if saving is not None and saving > 0:
        return f"a saving of {saving}%"
    if bid > in_house:
        return f"{pounds(bid - in_house)} more than keeping it in-house"
    return "no saving worth counting (under 0.1%)"


def _where_dearer(x: Facts) -> str:
    over_term, present = cheaper(x)
    if over_term:
        return "in today's money"
    if present:
        return "over the term"
    return "over the term or in today's money"


def _income(f: Figures, x: Facts, score: int) -> str:
    """'trading income scores 4 (income from others of £300,000 a year, 33.3% of the yearly
    price)': the score first, since officers may score it otherwise, then the figures."""
    if f.external_income == 0:
        figures = "no income from others"
    elif x.average_price == 0:
        figures = f"income from others of {pounds(f.external_income)} a year and no price to KCC"
    else:
        share = percent_of(f.external_income, x.average_price)
        figures = (
            f"income from others of {pounds(f.external_income)} a year, {share}% of the yearly "
            "price"
        )
    return f"trading income scores {score} ({figures})"


def _deciding(f: Figures, x: Facts, judgement: Judgement, *, score_of: ScoreOf) -> str:
    """The sentence of the rule that decided, starting with the recommendation."""
    step, total = judgement.step, judgement.total
    deliverable = score_of("deliverability")
    if step == DISQUALIFIED:
        return "MAKE: the bid is disqualified, so the service stays in-house."
    if step == NOT_CHEAPER:
        return f"MAKE: the bid is not cheaper than keeping the service in-house {_where_dearer(x)}."
    if step == NOT_DELIVERABLE:
        return (
            f"MAKE: the bid is cheaper, but deliverability and financial standing scores "
            f"{deliverable}, below the {DELIVERABLE} needed to recommend a change of provider."
        )
    if step == BELOW_PASS_MARK:
        return (
            f"MAKE: the bid is cheaper and deliverable, but its weighted total of {total} is "
            f"below the {PASS_MARK} needed to recommend a change of provider."
        )
    if step == SELLS:
        return (
            f"SELL: the bid is cheaper, deliverable (score {deliverable}) and its weighted total "
            f"of {total} reaches {PASS_MARK}; {_income(f, x, score_of('trading_income'))}, "
            "which shows a market for the service, so KCC should trade it, for example through a "
            "trading company with this bidder."
        )
    assert step == BUYS, step
    return (
        f"BUY: the bid is cheaper, deliverable (score {deliverable}) and its weighted total "
        f"of {total} reaches {PASS_MARK}: commission this bidder."
    )


def _but(x: Facts, judgement: Judgement, *, score_of: ScoreOf) -> str:
    """What overrode the signals of a MAKE: the deciding rule, briefly."""
    step = judgement.step
    if step == DISQUALIFIED:
        return "the bid is disqualified"
    if step == NOT_CHEAPER:
        return f"the bid is not cheaper than keeping the service in-house {_where_dearer(x)}"
    if step == NOT_DELIVERABLE:
        return (
            f"deliverability and financial standing scores {score_of('deliverability')}, below "
            f"the {DELIVERABLE} needed"
        )
    assert step == BELOW_PASS_MARK, step
    return f"the weighted total of {judgement.total} is below the pass mark of {PASS_MARK}"


def _signal(f: Figures, x: Facts, judgement: Judgement, signal: str, *, score_of: ScoreOf) -> str:
    """One signal's sentence: the signal with its figures, then what overrode it."""
    trading = score_of("trading_income")
    if signal == NEAR_SELL:
        return (
            f"{ALSO} {_income(f, x, trading)}, close to a sell signal, but below the "
            f"{SELL_SIGNAL} needed to recommend SELL."
        )
    but = _but(x, judgement, score_of=score_of)
    if signal == SAVING:
        over_term, present = cheaper(x)
        savings = []
        if over_term:
            savings.append(f"{pounds(x.cost_in_house - x.cost_bid)} over the term ({x.saving}%)")
        if present:
            savings.append(
                f"{pounds(x.npv_in_house - x.npv_bid)} in today's money ({x.npv_saving}%)"
            )
        return f"{OVERRIDDEN} the bid would save KCC {' and '.join(savings)}, but {but}."
    if signal == DELIVERABLE_ENOUGH:
        return (
            f"{OVERRIDDEN} deliverability and financial standing scores "
            f"{score_of('deliverability')}, enough for a change of provider ({DELIVERABLE} or "
            f"more), but {but}."
        )
    if signal == REACHES_PASS_MARK:
        return (
            f"{OVERRIDDEN} the weighted total of {judgement.total} reaches the pass mark of "
            f"{PASS_MARK}, but {but}."
        )
    if signal == SELL_SIGNALLED:
        return f"{OVERRIDDEN} {_income(f, x, trading)}, a sell signal, but {but}."
    assert signal == STRONG_PUBLIC, signal
    return (
        f"{OVERRIDDEN} the public-value criteria score {judgement.public_value}% of their marks, "
        f"strong public value ({STRONG_PUBLIC_VALUE}% or more), but {but}."
    )
