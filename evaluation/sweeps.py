"""Finding submitted business cases that were never assessed, and queueing them again."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from bids.models import BusinessCase
from bids.workflow import UNDER_CONSIDERATION
from evaluation.models import Framework

log = logging.getLogger(__name__)


def unassessed(*, older_than: datetime.timedelta | None = None):
    """Cases under consideration (submitted, not yet decided or withdrawn) with no assessment
    against the current framework, submitted longer ago than `older_than` (so that one still on
    its way through the queue is left alone). Decided cases are not re-scored."""
    framework = Framework.objects.current()
    if framework is None:
        return BusinessCase.objects.none()
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.ASSESSMENT_SWEEP_AFTER_SECONDS)
    return (
        BusinessCase.objects.filter(
            status__in=UNDER_CONSIDERATION, submitted_at__lte=timezone.now() - older_than
        )
        .exclude(assessments__framework=framework)
        .order_by("submitted_at")
    )


def queue_unassessed() -> int:
    from evaluation.tasks import score_case

    ids = list(unassessed().values_list("pk", flat=True)[:500])
    for case_id in ids:
        score_case.delay(case_id)
    if ids:
        log.warning("queued %d business cases that had not been assessed", len(ids))
    return len(ids)


def stale_packs(*, older_than: datetime.timedelta | None = None):
    """Packs queued, or rendering, for longer than `older_than`: their message was lost (a broker
    outage) or their worker died. A render is never legitimately older than the task's hard time
    limit, which PACK_SWEEP_AFTER_SECONDS exceeds."""
    from django.db.models import Q

    from evaluation.models import DecisionPack

    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.PACK_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    State = DecisionPack.State
    return DecisionPack.objects.filter(
        Q(state=State.QUEUED, requested_at__lte=cutoff)
        | Q(state=State.RENDERING, started_at__lte=cutoff)
    ).order_by("requested_at")


def decided_without_pack(*, older_than: datetime.timedelta | None = None):
    """Decided cases with no pack at all, decided longer ago than `older_than`."""
    from bids.workflow import DECIDED

    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.PACK_SWEEP_AFTER_SECONDS)
    return BusinessCase.objects.filter(
        status__in=DECIDED, packs__isnull=True, closed_at__lte=timezone.now() - older_than
    ).order_by("closed_at")


def queue_stale_packs() -> int:
    from evaluation.models import DecisionPack
    from evaluation.packs import versions

    State = DecisionPack.State
    queued = 0
    for pack in stale_packs()[:200]:
        # A stuck render goes back to queued first (guarded: unless it moved meanwhile), so the
        # task can claim it again.
        if pack.state == State.RENDERING:
            moved = DecisionPack.objects.filter(
                pk=pack.pk, state=State.RENDERING, started_at=pack.started_at
            ).update(state=State.QUEUED, progress=0, started_at=None)
            if not moved:
                continue
        versions.queue(pack.pk)
        queued += 1
    for case in decided_without_pack()[:200]:
        versions.request(case=case)
        queued += 1
    if queued:
        log.warning("queued %d decision packs that had not been rendered", queued)
    return queued
