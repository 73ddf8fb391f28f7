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
