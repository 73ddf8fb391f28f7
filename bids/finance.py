"""The live financial summary beside the financial case: the bid against the in-house budget.

Works on whatever has been typed so far (a draft), reading each figure leniently, so the summary
can update while the bidder types.
"""

from decimal import Decimal

from django import forms

from bids.forms import YEARS, MoneyField

_money = MoneyField(label="Amount", required=False)


def _amount(value) -> Decimal | None:
    try:
        return _money.clean(value)
    except forms.ValidationError:
        return None


def _raw(form, name):
    return form.data.get(name) if form.is_bound else None


def summary(*, case, form) -> dict:
    """Totals over the term as typed so far: price to KCC (yearly prices plus transition costs),
    the service's net budget over the same term, and the difference."""
    try:
        term = int(_raw(form, "contract_term_years") or 0)
    except (TypeError, ValueError):
        term = 0
    term = term if 1 <= term <= len(YEARS) else 0
    prices = [_amount(_raw(form, f"price_year_{y}")) for y in range(1, term + 1)]
    typed_transition = _raw(form, "transition_costs")
    transition = _amount(typed_transition)
    # Left out of the total when what was typed is not an amount: the summary says so.
    transition_included = transition is not None
    transition = transition or Decimal(0)
    net_budget = case.service.net_budget
    price_total = sum((p for p in prices if p is not None), Decimal(0)) + transition
    in_house = net_budget * term
    difference = in_house - price_total
    return {
        "term": term,
        "transition_included": transition_included,
        "transition_typed": bool((typed_transition or "").strip()),
        "years_priced": sum(p is not None for p in prices),
        "price_total": price_total,
        "net_budget": net_budget,
        "in_house_total": in_house,
        "difference": difference,
        "saving": difference > 0,
        "percent": (abs(difference) / in_house * 100).quantize(Decimal("0.1"))
        if in_house
        else None,
    }
