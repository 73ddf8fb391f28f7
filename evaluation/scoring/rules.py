"""The rule behind each criterion: a business case's figures in, a whole-number score of 0 to 5
out, with the numbers used and the rule that applied, in words a bidder can check against
docs/scoring.md (which states the same rules; change both together, and ENGINE_VERSION).

No database and no weights here: a criterion's score depends on the figures alone, so changing a
framework's weights changes totals but never a score.
"""

from dataclasses import dataclass
from decimal import Decimal

from evaluation.figures import Figures
from evaluation.scoring.money import (
    MILLION,
    RATE_SHOWN,
    ZERO,
    one_place,
    percent_of,
    pounds,
    present_value,
    show_percent,
)


@dataclass(frozen=True)
class Scored:
    score: int
    figures: dict[str, str]
    rule: str


@dataclass(frozen=True)
class Facts:
    """The sums several rules (and the recommendation) share, worked out once."""

    cost_bid: Decimal  # to KCC over the term: yearly prices, transition costs, grant
    cost_in_house: Decimal  # the net budget for each year of the term
    saving: Decimal | None  # per cent, 1 dp; None when there is no net budget
    npv_bid: Decimal
    npv_in_house: Decimal
    npv_saving: Decimal | None
    term: int
    price_sum: Decimal  # the yearly prices alone
    average_price: Decimal
    peak_price: Decimal


def facts_of(f: Figures) -> Facts:
    cost_bid = f.price_total + f.grant
    cost_in_house = f.in_house_total
    npv_bid = present_value(f.yearly_prices, now=f.transition_costs + f.grant)
    npv_in_house = present_value((f.net_budget,) * f.term_years)
    price_sum = sum(f.yearly_prices, ZERO)
    return Facts(
        cost_bid=cost_bid,
        cost_in_house=cost_in_house,
        saving=_saving(cost_in_house, cost_bid),
        npv_bid=npv_bid,
        npv_in_house=npv_in_house,
        npv_saving=_saving(npv_in_house, npv_bid),
        term=f.term_years,
        price_sum=price_sum,
        average_price=price_sum / f.term_years,
        peak_price=max(f.yearly_prices, default=ZERO),
    )


def _saving(in_house: Decimal, bid: Decimal) -> Decimal | None:
    return percent_of(in_house - bid, in_house) if in_house > 0 else None


def _band(value: Decimal, bands) -> tuple[int, str] | None:
    """The first band (lowest value, score, words) whose lowest value `value` reaches."""
    for lowest, score, words in bands:
        if value >= lowest:
            return score, words
    return None


# --- Cost: over the term, in present value, and the recurring saving ------------------------

SAVING_BANDS = (
    (Decimal(15), 5, "15% or more"),
    (Decimal(10), 4, "10% to under 15%"),
    (Decimal(5), 3, "5% to under 10%"),
    (Decimal("2.5"), 2, "2.5% to under 5%"),
    (Decimal("0.1"), 1, "0.1% to under 2.5%"),
)
# The published net budget is the whole service's: for a bid for part of it, any saving measured
# against it is overstated, so the cost scores stop at "adequate" until officers check the part.
PART_CAP = 3


def _saving_score(saving: Decimal | None, *, scope: str, what: str) -> tuple[int, str]:
    if saving is None:
        return 0, "the service has no net budget to save against: scores 0"
    found = _band(saving, SAVING_BANDS)
    if found is None:
        return 0, f"no {what} (0.0% or less) scores 0"
    score, words = found
    rule = f"a {what} of {words} scores {score}"
    if scope == "part" and score > PART_CAP:
        rule += (
            f", capped at {PART_CAP} because the bid is for part of the service and the net "
            "budget is the whole service's"
        )
        score = PART_CAP
    return score, rule


def term_cost(f: Figures, x: Facts) -> Scored:
    figures = {
        "term": f"{f.term_years} years" if f.term_years != 1 else "1 year",
        "yearly prices": pounds(x.price_sum),
        "transition costs": pounds(f.transition_costs),
        "grant asked": pounds(f.grant),
        "bid over term": pounds(x.cost_bid),
        "in-house over term": pounds(x.cost_in_house),
    }
    if x.saving is not None:
        figures["saving"] = show_percent(x.saving)
    score, rule = _saving_score(x.saving, scope=f.scope, what="saving")
    return Scored(score, figures, rule)


def whole_life_cost(f: Figures, x: Facts) -> Scored:
    figures = {
        "discount rate": f"{RATE_SHOWN} a year",
        "bid, present value": pounds(x.npv_bid),
        "in-house, present value": pounds(x.npv_in_house),
    }
    if x.npv_saving is not None:
        figures["saving"] = show_percent(x.npv_saving)
    score, rule = _saving_score(x.npv_saving, scope=f.scope, what="present-value saving")
    return Scored(score, figures, rule)


def recurring_cost(f: Figures, x: Facts) -> Scored:
    """The five Cs' cost: the yearly saving KCC's budget keeps once the term's last year comes."""
    last = f.yearly_prices[-1] if f.yearly_prices else ZERO
    saving = _saving(f.net_budget, last)
    figures = {"price in the last year": pounds(last), "net budget a year": pounds(f.net_budget)}
    if saving is not None:
        figures["yearly saving"] = show_percent(saving)
    score, rule = _saving_score(saving, scope=f.scope, what="yearly saving in the last year")
    return Scored(score, figures, rule)


# --- Income and trading potential: the "sell" signal ----------------------------------------

INCOME_BANDS = (
    (Decimal(50), 5, "50% or more"),
    (Decimal(25), 4, "25% to under 50%"),
    (Decimal(10), 3, "10% to under 25%"),
    (Decimal(5), 2, "5% to under 10%"),
    (Decimal("0.1"), 1, "0.1% to under 5%"),
)


def trading_income(f: Figures, x: Facts) -> Scored:
    figures = {
        "income from others a year": pounds(f.external_income),
        "average yearly price": pounds(x.average_price),
    }
    if x.average_price == 0:
        if f.external_income > 0:
            return Scored(5, figures, "income from others and no price to KCC scores 5")
        return Scored(0, figures, "no income from others scores 0")
    if f.external_income == 0:
        return Scored(0, figures, "no income from others scores 0")
    ratio = percent_of(f.external_income, x.average_price)
    figures["income as share of price"] = show_percent(ratio)
    found = _band(ratio, INCOME_BANDS)
    if found is None:
        return Scored(0, figures, "income from others of under 0.1% of the price scores 0")
    score, words = found
    return Scored(score, figures, f"income from others of {words} of the price scores {score}")


# --- Deliverability and financial standing ---------------------------------------------------


def _points(parts: list[tuple[str, int]], *, start: int = 0) -> tuple[int, str]:
    score = max(0, min(5, start + sum(p for _, p in parts)))
    words = "; ".join(f"{text} ({'+' if p > 0 else ''}{p})" for text, p in parts)
    prefix = f"starts at {start}: " if start else ""
    return score, f"{prefix}{words}: scores {score}"


def deliverability(f: Figures, x: Facts) -> Scored:
    """Tested against the largest yearly price, so that it holds in every year of the term."""
    peak = x.peak_price
    consortium = [p for p in f.partners if p.role == "consortium"]
    turnover = _combined(f.bidder_turnover, [p.turnover for p in consortium])
    reserves = _combined(f.bidder_reserves, [p.reserves for p in consortium])
    figures = {"largest yearly price": pounds(peak), "working capital": pounds(f.working_capital)}
    if peak > 0:
        figures["months of price covered"] = one_place(f.working_capital * 12 / peak)
    figures["turnover"] = pounds(turnover) if turnover is not None else "not given"
    figures["reserves"] = pounds(reserves) if reserves is not None else "not given"
    if consortium:
        figures["consortium members counted"] = str(len(consortium))

    parts = []
    if f.working_capital * 4 >= peak:
        parts.append(("working capital covers 3 months' price or more", 2))
    elif f.working_capital * 12 >= peak:
        parts.append(("working capital covers 1 to under 3 months' price", 1))
    else:
        parts.append(("working capital covers under 1 month's price", 0))
    if turnover is None:
        parts.append(("turnover not given", 0))
    elif turnover >= 2 * peak:
        parts.append(("turnover at least twice the yearly price", 2))
    elif turnover >= peak:
        parts.append(("turnover 1 to under 2 times the yearly price", 1))
    else:
        parts.append(("turnover under the yearly price", 0))
    if reserves is None:
        parts.append(("reserves not given", 0))
    elif reserves * 10 >= peak:
        parts.append(("reserves at least 10% of the yearly price", 1))
    else:
        parts.append(("reserves under 10% of the yearly price", 0))
    if any(p.reserves == 0 for p in f.partners):
        parts.append(("a consortium member or sub-contractor has no reserves", -1))
    score, rule = _points(parts)
    return Scored(score, figures, rule)


def _combined(own: Decimal | None, others: list[Decimal]) -> Decimal | None:
    if own is None and not others:
        return None
    return (own or ZERO) + sum(others, ZERO)


# --- Risk: staff transfers and pensions, reliance on one sub-contractor, declared risks -------

LEVEL = {"low": 1, "medium": 2, "high": 3}
PENSIONS = {
    "lgps": "Local Government Pension Scheme",
    "comparable": "broadly comparable scheme",
    "not_applicable": "none",
}


def risk(f: Figures, x: Facts) -> Scored:
    subcontractors = [p for p in f.partners if p.role == "subcontractor"]
    worst = max(f.risks, key=lambda r: LEVEL[r.likelihood] * LEVEL[r.impact], default=None)
    figures = {
        "staff transferring": str(f.staff_transferring),
        "pensions": PENSIONS.get(f.pensions, f.pensions),
        "risks declared": str(len(f.risks)),
        "sub-contractors": str(len(subcontractors)),
    }
    if worst is not None:
        figures["worst risk"] = f"{worst.likelihood} likelihood, {worst.impact} impact"
    if f.staff_transferring > 0 and f.pensions not in ("lgps", "comparable"):
        return Scored(
            0,
            figures,
            "staff would transfer without the Local Government Pension Scheme or a broadly "
            "comparable scheme, which KCC must secure for them: scores 0",
        )
    parts = []
    if f.staff_transferring > 0:
        parts.append(("staff transfer under TUPE", -1))
        if f.pensions == "comparable":
            parts.append(("their pensions rely on a scheme certified as broadly comparable", -1))
    if worst is None:
        parts.append(("no risks declared", -1))
    else:
        product = LEVEL[worst.likelihood] * LEVEL[worst.impact]
        if product == 9:
            parts.append(("a risk of high likelihood and high impact", -2))
        elif product >= 6:
            parts.append(("a risk of high likelihood or impact, the other medium", -1))
    if len(subcontractors) == 1 and (
        f.bidder_turnover is None or subcontractors[0].turnover >= f.bidder_turnover
    ):
        parts.append(("delivery relies on one sub-contractor as big as the bidder or bigger", -1))
    if not parts:
        return Scored(5, figures, "no staff transfer, no risk above medium, no reliance: scores 5")
    score, rule = _points(parts, start=5)
    return Scored(score, figures, rule)


# --- Public value: the five Cs and social value ----------------------------------------------

COMMUNITY_OWNED = {
    "management_buyout": "management buyout",
    "cooperative": "public-service co-operative",
    "mutual": "mutual",
    "social_enterprise": "social enterprise",
}
MACHINE_MOST = 4  # where the evidence is mostly prose, 5 is left to officers' review


def customer(f: Figures, x: Facts) -> Scored:
    figures = {
        "KPIs given": "yes" if f.has_kpis else "no",
        "scope": "whole service" if f.scope == "whole" else "part of the service",
    }
    parts = [
        ("measures with targets reported to KCC", 3) if f.has_kpis else ("no KPIs", 0),
        ("one provider for the whole service", 1) if f.scope == "whole" else ("part only", 0),
    ]
    score, rule = _points(parts)
    return Scored(score, figures, f"{rule} (at most {MACHINE_MOST}: officers judge the rest)")


def communities(f: Figures, x: Facts) -> Scored:
    owned = COMMUNITY_OWNED.get(f.delivery_model)
    hours = f.volunteering_hours
    figures = {
        "delivery model": owned or f.delivery_model.replace("_", " "),
        "volunteering hours a year": f"{hours:,}",
    }
    parts = [("community or staff owned", 2) if owned else ("not community or staff owned", 0)]
    if hours >= 2000:
        parts.append(("2,000 volunteering hours a year or more", 3))
    elif hours >= 500:
        parts.append(("500 to 1,999 volunteering hours a year", 2))
    elif hours > 0:
        parts.append(("1 to 499 volunteering hours a year", 1))
    else:
        parts.append(("no volunteering", 0))
    score, rule = _points(parts)
    return Scored(score, figures, rule)


def _per_million(count: int, x: Facts) -> Decimal | None:
    """`count` per £1m of the average yearly price, to show (None if there is no price)."""
    return None if x.price_sum == 0 else count * MILLION * x.term / x.price_sum


def _per_million_at_least(count: int, lowest: int, x: Facts) -> bool:
    """Whether `count` per £1m of the average yearly price reaches `lowest`, without dividing."""
    return count * MILLION * x.term >= lowest * x.price_sum


def _kent_spend(percent: int, bands) -> tuple[str, int]:
    for lowest, points in bands:
        if percent >= lowest:
            return f"{lowest}% or more of spend in Kent", points
    return f"under {bands[-1][0]}% of spend in Kent", 0


def clout(f: Figures, x: Facts) -> Scored:
    per_m = _per_million(f.local_jobs, x)
    figures = {"jobs for Kent residents": f"{f.local_jobs:,}"}
    if per_m is not None:
        figures["jobs per £1m of yearly price"] = one_place(per_m)
    figures["spend in Kent"] = f"{f.kent_spend_percent}%"
    if f.local_jobs == 0:
        parts = [("no jobs for Kent residents", 0)]
    elif _per_million_at_least(f.local_jobs, 10, x):
        parts = [("10 or more Kent jobs per £1m of yearly price", 2)]
    else:
        parts = [("under 10 Kent jobs per £1m of yearly price", 1)]
    parts.append(_kent_spend(f.kent_spend_percent, ((50, 3), (25, 2), (10, 1))))
    score, rule = _points(parts)
    return Scored(score, figures, rule)


def capabilities(f: Figures, x: Facts) -> Scored:
    per_m = _per_million(f.apprenticeships, x)
    figures = {"apprenticeships over the term": f"{f.apprenticeships:,}"}
    if per_m is not None:
        figures["apprenticeships per £1m of yearly price"] = one_place(per_m)
    figures["staff transferring"] = str(f.staff_transferring)
    figures["pensions"] = PENSIONS.get(f.pensions, f.pensions)
    if f.apprenticeships == 0:
        parts = [("no apprenticeships", 0)]
    elif _per_million_at_least(f.apprenticeships, 2, x):
        parts = [("2 or more apprenticeships per £1m of yearly price", 3)]
    elif _per_million_at_least(f.apprenticeships, 1, x):
        parts = [("1 to under 2 apprenticeships per £1m of yearly price", 2)]
    else:
        parts = [("under 1 apprenticeship per £1m of yearly price", 1)]
    if f.staff_transferring == 0:
        parts.append(("no staff transfer", 0))
    elif f.pensions == "lgps":
        parts.append(("staff transfer keeping the Local Government Pension Scheme", 2))
    elif f.pensions == "comparable":
        parts.append(("staff transfer with a broadly comparable pension", 1))
    else:
        parts.append(("staff transfer without pension protection", 0))
    score, rule = _points(parts)
    return Scored(score, figures, rule)


def social_value(f: Figures, x: Facts) -> Scored:
    figures = {
        "jobs for Kent residents": f"{f.local_jobs:,}",
        "apprenticeships": f"{f.apprenticeships:,}",
        "volunteering hours a year": f"{f.volunteering_hours:,}",
        "spend in Kent": f"{f.kent_spend_percent}%",
    }
    parts = [
        ("jobs for Kent residents", 1 if f.local_jobs > 0 else 0),
        ("apprenticeships", 1 if f.apprenticeships > 0 else 0),
        ("volunteering", 1 if f.volunteering_hours > 0 else 0),
        _kent_spend(f.kent_spend_percent, ((50, 2), (25, 1))),
    ]
    score, rule = _points(parts)
    return Scored(score, figures, rule)


RULES = {
    "term_cost": term_cost,
    "whole_life_cost": whole_life_cost,
    "trading_income": trading_income,
    "deliverability": deliverability,
    "risk": risk,
    "customer": customer,
    "communities": communities,
    "clout": clout,
    "cost": recurring_cost,
    "capabilities": capabilities,
    "social_value": social_value,
}
