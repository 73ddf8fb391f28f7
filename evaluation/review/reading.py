"""A submitted business case as officers read it: each section of "check your answers", in the
bidder's wording, with names withheld from reviewers of a blind case."""

from dataclasses import dataclass
from decimal import Decimal

from bids import sections

BLIND_FIELDS = {"name"}  # a partner's name identifies the bid as surely as the bidder's


@dataclass(frozen=True)
class Part:
    title: str
    rows: list[tuple[str, str]]


def case_document(case, *, blind: bool) -> list[Part]:
    parts = []
    for section in sections.SECTIONS:
        form = section.form(case, show_errors=False)
        if blind and isinstance(form, sections.Repeating):
            rows = _blind_items(form)
        else:
            rows = sections.display_rows(form)
        parts.append(Part(section.title, rows))
    return parts


def _blind_items(form) -> list[tuple[str, str]]:
    rows = []
    if not form.is_valid():
        return rows
    if form.question_form is not None:
        field = form.question_form.fields["has_items"]
        rows.append((field.label, sections._display(field, form.cleaned_data["has_items"])))
    fields = form.item_form.base_fields
    for number, item in enumerate(form.cleaned_data["items"], start=1):
        text = "; ".join(
            f"{fields[n].label}: {sections._display(fields[n], v)}"
            for n, v in item.items()
            if n in fields and n not in BLIND_FIELDS
        )
        rows.append((f"{form.item_name.capitalize()} {number}", text))
    return rows


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
