"""What the members' area reads: decided cases, their scores and their decision packs.

Every page is a constant number of queries, however many cases or packs there are: the machine's
latest recommendation and total are subqueries, districts and packs are prefetched.
"""

from dataclasses import dataclass

from django.db.models import DecimalField, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404

from bids import workflow
from bids.models import BusinessCase
from evaluation.models import Assessment, DecisionPack
from services.models import District

PAGE_SIZE = 20  # as the catalogue


def decided_cases():
    """Decided and published cases, newest decision first, with the service, its directorate
    and districts, the decision, and the latest automatic assessment's recommendation and total
    (as `machine_recommendation` and `machine_total`)."""
    latest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        # decision__isnull=False: an inner join, so that the newest decisions are read from
        # their index (decided_at, case) and the page stops at its 20th case.
        BusinessCase.objects.filter(status__in=workflow.DECIDED, decision__isnull=False)
        .select_related("service__directorate", "decision", "organisation")
        .prefetch_related(
            Prefetch("service__districts", queryset=District.objects.order_by("name"))
        )
        .annotate(
            machine_recommendation=Subquery(latest.values("recommendation")[:1]),
            machine_total=Subquery(
                latest.values("total")[:1],
                output_field=DecimalField(max_digits=5, decimal_places=1),
            ),
        )
        .order_by("-decision__decided_at", "-pk")
    )


@dataclass(frozen=True)
class Packs:
    """A case's decision packs as a member sees them: the newest ready one, the earlier ready
    ones (newest first), and whether a newer one is being made."""

    current: DecisionPack | None
    earlier: list[DecisionPack]
    preparing: bool


def packs_of(case: BusinessCase) -> Packs:
    packs = list(DecisionPack.objects.filter(case=case).order_by("-version"))
    ready = [p for p in packs if p.state == DecisionPack.State.READY]
    current = ready[0] if ready else None
    in_hand = (DecisionPack.State.QUEUED, DecisionPack.State.RENDERING)
    preparing = any(
        p.state in in_hand and (current is None or p.version > current.version) for p in packs
    )
    return Packs(current=current, earlier=ready[1:], preparing=preparing)


def summary(public_id) -> tuple[BusinessCase, Packs]:
    """The decided case with this public id (404 otherwise), its moderated consensus (as
    `case.recorded_consensus`, None until recorded) and its packs."""
    case = get_object_or_404(decided_cases().select_related("consensus"), public_id=public_id)
    consensus = getattr(case, "consensus", None)
    case.recorded_consensus = consensus if consensus and consensus.recorded_at else None
    return case, packs_of(case)


def ready_pack(public_id, version: int) -> DecisionPack:
    """A ready pack of a decided case, by version (404 for anything else: another case's pack,
    one still rendering or failed, a case not yet decided)."""
    return get_object_or_404(
        DecisionPack.objects.select_related("case"),
        case__public_id=public_id,
        case__status__in=workflow.DECIDED,
        version=version,
        state=DecisionPack.State.READY,
    )
