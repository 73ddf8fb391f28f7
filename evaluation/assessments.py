"""Assessing a submitted business case: the one place that turns a case into an Assessment.

Idempotent: there is one assessment per case and framework version (a unique constraint), and
the case's row is locked while it is assessed, so two workers given the same case (a redelivered
message, a sweep racing a submission) produce one assessment between them.
"""

import logging

from django.db import transaction

from bids import workflow
from bids.models import BusinessCase
from evaluation import frameworks, scoring, sensitivity
from evaluation.figures import figures_of
from evaluation.models import Assessment, Framework

log = logging.getLogger(__name__)

# Cases that have been submitted and not withdrawn: the ones worth assessing.
ASSESSABLE = workflow.ASSESSABLE


def assess_case(case_id: int, *, framework: Framework | None = None) -> Assessment | None:
    """Assesses the case against `framework` (the current one by default), unless that was done
    already, and returns the assessment; None if the case is gone or not submitted."""
    framework = framework or Framework.objects.current()
    if framework is None:
        raise RuntimeError("There is no current criteria framework to assess against.")
    with transaction.atomic():
        case = (
            BusinessCase.objects.select_for_update(of=("self",))
            .select_related("service", "organisation")
            .filter(pk=case_id, status__in=ASSESSABLE)
            .first()
        )
        if case is None:
            return None
        existing = Assessment.objects.filter(case=case, framework=framework).first()
        if existing is not None:
            return existing
        criteria = frameworks.specs(framework)
        figures = figures_of(case)
        result = scoring.assess(figures, criteria)
        titles = {c.key: c.title for c in framework.criteria.all()}
        assessment = Assessment.objects.create(
            case=case,
            framework=framework,
            engine_version=scoring.ENGINE_VERSION,
            scores=[{**score.as_dict(), "title": titles[score.key]} for score in result.scores],
            total=result.total,
            recommendation=result.recommendation,
            reasons=list(result.reasons),
            failed_thresholds=list(result.failed_thresholds),
            whole_life={k: str(v) for k, v in result.whole_life.items()},
            sensitivity=_sensitivity(case, figures, criteria, framework),
        )
        frameworks.freeze(framework)
        workflow.record_assessed(case_id=case.pk)
    log.info("assessed %s: %s %s", case.reference, assessment.recommendation, assessment.total)
    return assessment


def _sensitivity(case, figures, criteria, framework) -> dict:
    """Whether the recommendation holds under ±20% weights and, where the service has other
    assessed bids, whether their ranking does."""
    result = {"weights": sensitivity.sensitivity(figures, criteria).as_dict()}
    rivals = (
        # An anonymised case (bids/retention.py) has no answers left to compare.
        BusinessCase.objects.filter(
            service_id=case.service_id, status__in=ASSESSABLE, anonymised_at=None
        )
        .exclude(pk=case.pk)
        .select_related("service", "organisation")
    )
    if rivals:
        bids = {case.reference: figures} | {r.reference: figures_of(r) for r in rivals}
        result["ranking"] = sensitivity.ranking(bids, criteria).as_dict()
    return result
