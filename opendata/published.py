"""What the council publishes of its decisions: the one definition of a published decision, and
of what of it is public, used by the public register, the OCDS releases and the read API alike.

Public: the case's reference and public id, the service (name, portfolio, directorate, districts,
budget), the bidder's organisation's name (or WITHHELD, where the bidder asked and the officer
agreed when publishing), the outcome, the statutory ground of a rejection, the modification
agreed, the reasons, and the dates it was submitted, decided and published.

Never public: a decision not yet published; the business case's answers and documents (they
hold prices, staff and people's names: confidential to the council); the automatic
assessment, the reviews and the moderation; who decided, reviewed or published; the case's own
title (the bidder wrote it, and it may name them); the organisation's address, registration
number and members.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from evaluation.models import Decision
from services.models import District

WITHHELD = "Name withheld"


def published_decisions():
    """Decisions an officer has published, newest first, with what the public rule below reads
    (the case, its service, directorate and organisation; the service's districts prefetched).
    The case's answers and record are left in the database: nothing public comes from them."""
    return (
        Decision.objects.filter(published_at__isnull=False)
        .select_related("case__service__directorate", "case__organisation")
        .prefetch_related(
            Prefetch("case__service__districts", queryset=District.objects.order_by("name"))
        )
        .defer("case__answers", "case__record")
        .order_by("-published_at", "-pk")
    )


def named_bidder(decision: Decision) -> str | None:
    """The bidder's organisation's name where the public may read it; None where it is withheld
    (the bidder asked and the officer agreed) or the case was anonymised under the retention
    policy (bids/retention.py)."""
    case = decision.case
    if decision.bidder_name_withheld or case.anonymised_at is not None:
        return None
    return case.organisation.name


def bidder_name(decision: Decision) -> str:
    """The bidder as the public sees it: their organisation's name, unless withheld."""
    return named_bidder(decision) or WITHHELD


@dataclass(frozen=True)
class PublicService:
    name: str
    slug: str
    portfolio: str
    portfolio_label: str
    directorate: str
    county_wide: bool
    districts: tuple[str, ...]
    net_budget: Decimal
    figures_illustrative: bool


@dataclass(frozen=True)
class PublicDecision:
    """Everything public about one published decision, and nothing else."""

    reference: str
    public_id: uuid.UUID
    service: PublicService
    bidder: str
    bidder_named: bool
    outcome: str
    outcome_label: str
    ground: str
    ground_label: str
    modification: str
    reasons: str
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime
    published_at: datetime.datetime

    @property
    def rejected(self) -> bool:
        return self.outcome == Decision.Outcome.REJECTED

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("opendata:decision", kwargs={"reference": self.reference})


def public(decision: Decision) -> PublicDecision:
    """The public view of a published decision (from `published_decisions()`: no queries)."""
    if decision.published_at is None:
        raise ValueError(f"{decision} is not published")
    case, service = decision.case, decision.case.service
    return PublicDecision(
        reference=case.reference,
        public_id=case.public_id,
        service=PublicService(
            name=service.name,
            slug=service.slug,
            portfolio=service.portfolio,
            portfolio_label=service.get_portfolio_display(),
            directorate=service.directorate.name,
            county_wide=service.county_wide,
            districts=tuple(d.name for d in service.districts.all()),
            net_budget=service.net_budget,
            figures_illustrative=service.figures_illustrative,
        ),
        bidder=bidder_name(decision),
        bidder_named=named_bidder(decision) is not None,
        outcome=decision.outcome,
        outcome_label=decision.get_outcome_display(),
        ground=decision.ground,
        ground_label=decision.get_ground_display() if decision.ground else "",
        modification=decision.modification,
        reasons=decision.reasons,
        submitted_at=case.submitted_at,
        decided_at=decision.decided_at,
        published_at=decision.published_at,
    )
