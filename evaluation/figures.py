"""The figures a business case is scored on, as plain values: what evaluation/scoring.py reads.

`Figures` is a frozen dataclass with no database behind it, so scoring stays a pure function;
`figures_of(case)` builds one from a submitted case's validated answers and its service's budgets.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Partner:
    role: str  # "consortium" | "subcontractor"
    turnover: Decimal
    reserves: Decimal


@dataclass(frozen=True)
class Risk:
    likelihood: str  # "low" | "medium" | "high"
    impact: str  # "low" | "medium" | "high"


@dataclass(frozen=True)
class Figures:
    # The service, as KCC runs it now.
    net_budget: Decimal  # a year
    gross_budget: Decimal  # a year
    # The proposal.
    scope: str  # "whole" | "part"
    delivery_model: str  # a bids.forms.DeliveryModel key, e.g. "cooperative"
    # The financial case.
    term_years: int
    yearly_prices: tuple[Decimal, ...]  # price to KCC in each year of the term
    transition_costs: Decimal
    investment: Decimal
    external_income: Decimal  # a year, from customers other than KCC
    grant: Decimal  # Big Society Fund start-up grant asked for
    working_capital: Decimal
    # The bidder's financial standing (None if the organisation has not given it).
    bidder_turnover: Decimal | None
    bidder_reserves: Decimal | None
    # Delivery and staffing.
    staff_transferring: int
    pensions: str  # "lgps" | "comparable" | "not_applicable"
    has_kpis: bool
    partners: tuple[Partner, ...]
    # Social value.
    local_jobs: int
    apprenticeships: int
    volunteering_hours: int  # a year
    kent_spend_percent: int  # 0-100
    risks: tuple[Risk, ...]

    @property
    def price_total(self) -> Decimal:
        """What KCC would pay over the term: the yearly prices and the transition costs."""
        return sum(self.yearly_prices, Decimal(0)) + self.transition_costs

    @property
    def in_house_total(self) -> Decimal:
        """What the service costs KCC over the same term if nothing changes."""
        return self.net_budget * self.term_years


def figures_of(case) -> Figures:
    """The figures of a submitted business case, from its record as submitted (never today's
    forms). Raises ValueError (bids.record.NotSubmitted) if it has no record."""
    from bids import record

    answers = record.values(case)
    proposal, finance = answers["proposal"], answers["finance"]
    delivery, social = answers["delivery"], answers["social_value"]
    term = finance["contract_term_years"]
    organisation = case.organisation
    return Figures(
        net_budget=case.service.net_budget,
        gross_budget=case.service.gross_budget,
        scope=proposal["scope"],
        delivery_model=proposal["delivery_model"],
        term_years=term,
        yearly_prices=tuple(finance[f"price_year_{y}"] for y in range(1, term + 1)),
        transition_costs=finance["transition_costs"],
        investment=finance["investment"],
        external_income=finance["external_income"],
        grant=finance["big_society_grant"],
        working_capital=finance["working_capital"],
        bidder_turnover=organisation.annual_turnover,
        bidder_reserves=organisation.reserves,
        staff_transferring=delivery["staff_transferring"],
        pensions=delivery["pensions"],
        has_kpis=bool(delivery["kpis"].strip()),
        partners=tuple(
            Partner(role=p["role"], turnover=p["turnover"], reserves=p["reserves"])
            for p in answers["partners"]["items"]
        ),
        local_jobs=social["local_jobs"],
        apprenticeships=social["apprenticeships"],
        volunteering_hours=social["volunteering_hours"],
        kent_spend_percent=social["kent_spend_percent"],
        risks=tuple(
            Risk(likelihood=r["likelihood"], impact=r["impact"]) for r in answers["risks"]["items"]
        ),
    )
