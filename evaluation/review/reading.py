"""A submitted business case as officers read it: each section of "check your answers", in the
bidder's wording, with names withheld from reviewers of a blind case."""

from dataclasses import dataclass
from decimal import Decimal

from bids import record


@dataclass(frozen=True)
class Part:
    title: str
    rows: list[tuple[str, str]]


def case_document(case, *, blind: bool) -> list[Part]:
    """The case as submitted, section by section, in the wording the bidder saw then."""
    try:
        return [Part(title, rows) for title, rows in record.document(case, blind=blind)]
    except record.NotSubmitted:
        return []


@dataclass(frozen=True)
class Year:
    year: int
    in_house: Decimal
    bid: Decimal

    @property
    def difference(self) -> Decimal:
        return self.in_house - self.bid


@dataclass(frozen=True)
class Comparison:
    """In-house against the bid, year by year over the term, with the one-off costs and the
    whole-life figures of the machine's assessment (Green Book present values)."""

    years: list[Year]
    transition_costs: Decimal
    grant: Decimal
    external_income: Decimal
    whole_life: dict

    @property
    def in_house_total(self) -> Decimal:
        return sum((y.in_house for y in self.years), Decimal(0))

    @property
    def bid_total(self) -> Decimal:
        return sum((y.bid for y in self.years), Decimal(0)) + self.transition_costs + self.grant

    @property
    def difference(self) -> Decimal:
        return self.in_house_total - self.bid_total


def comparison(case, assessment=None) -> Comparison | None:
    """The financial comparison of a submitted case, or None if its figures cannot be read."""
    from evaluation.figures import figures_of

    try:
        figures = figures_of(case)
    except ValueError:
        return None
    return Comparison(
        years=[
            Year(year=n, in_house=figures.net_budget, bid=price)
            for n, price in enumerate(figures.yearly_prices, start=1)
        ],
        transition_costs=figures.transition_costs,
        grant=figures.grant,
        external_income=figures.external_income,
        whole_life=assessment.whole_life if assessment else {},
    )
