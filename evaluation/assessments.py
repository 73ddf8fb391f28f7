"""Assessing a submitted business case: the one place that turns a case into an Assessment.

Idempotent: there is one assessment per case and framework version (a unique constraint), and
the case's row is locked while it is assessed, so two workers given the same case (a redelivered
message, a sweep racing a submission) produce one assessment between them.

Cheap, and as cheap for the fiftieth bid on a service as for the first: a constant number of
queries (a test counts them), and rival bids are ranked from the totals stored with their own
assessments (evaluation.sensitivity.Totals), read in one query, never scored again.
"""

import logging

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from bids import workflow
from bids.models import BusinessCase
from evaluation import frameworks, scoring, sensitivity
from evaluation.figures import figures_of
from evaluation.models import Assessment, Framework

log = logging.getLogger(__name__)

# Cases that have been submitted and not withdrawn: the ones worth assessing.
ASSESSABLE = workflow.ASSESSABLE
# Random weight vectors for the sensitivity analysis, and their seed: the same for every case,
# so any two bids assessed against the same framework can be ranked from their stored totals.
SAMPLES = 300
SEED = 0


def assess_case(case_id: int, *, framework: Framework | None = None) -> Assessment | None:
    """Assesses the case against `framework` (the current one by default), unless that was done
    already, and returns the assessment; None if the case is gone or not submitted."""
    framework = framework or Framework.objects.current()
    if framework is None:
        raise RuntimeError("There is no current criteria framework to assess against.")
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        case = (
            BusinessCase.objects.select_for_update(of=("self",))
            .select_related("service", "organisation")
            # Only what scoring reads: not the draft answers, the largest column.
            .only(
                "reference",
                "record",
                "submitted_at",
                "service__net_budget",
                "service__gross_budget",
                "organisation__annual_turnover",
                "organisation__reserves",
            )
            .annotate(
                existing_id=Subquery(
                    Assessment.objects.filter(case=OuterRef("pk"), framework=framework).values(
                        "pk"
                    )[:1]
                )
            )
            .filter(pk=case_id, status__in=ASSESSABLE)
            .first()
        )
        if case is None:
            return None
        if case.existing_id is not None:
            return Assessment.objects.get(pk=case.existing_id)
        criteria, titles = _criteria(framework)
        figures = figures_of(case)
        evaluation = scoring.evaluate(figures)
        result = scoring.assess(figures, criteria, evaluation=evaluation)
        weights = sensitivity.sensitivity(
            figures, criteria, samples=SAMPLES, seed=SEED, evaluation=evaluation
        )
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
            sensitivity=_sensitivity(case, framework, criteria, result, weights),
            totals=weights.totals.as_dict(),
        )
        if framework.frozen_at is None:
            frameworks.freeze(framework)
        workflow.record_assessed(case_id=case.pk)
    log.info("assessed %s: %s %s", case.reference, assessment.recommendation, assessment.total)
    return assessment


def _commit_without_waiting_for_disk() -> None:
    """An assessment can always be made again, so its commit need not wait for the disk: with
    PostgreSQL's asynchronous commit, a crash in the next fraction of a second could lose it
    (never half of it), and then the case is unassessed again and the sweep queues it
    (evaluation/sweeps.py). What waiting would cost is most of a case's time on a busy disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# A frozen framework's criteria never change (Criterion.save refuses: make a new version), so a
# process reads them once: {(framework id, frozen at): (specs, titles)}.
_FROZEN: dict[tuple, tuple] = {}


def _criteria(framework: Framework) -> tuple[tuple, dict[str, str]]:
    """The framework's criteria as scoring reads them, and their titles."""
    key = (framework.pk, framework.frozen_at)
    if key in _FROZEN:
        return _FROZEN[key]
    rows = list(framework.criteria.all())
    found = (frameworks.specs_of(rows), {c.key: c.title for c in rows})
    if framework.frozen_at is not None:
        _FROZEN[key] = found
    return found


def _sensitivity(case, framework, criteria, result, weights) -> dict:
    """Whether the recommendation holds under ±20% weights and, where the service has other bids
    assessed against the same framework, whether their ranking does."""
    found = {"weights": weights.as_dict()}
    this = sensitivity.Bid(
        case.reference, result.recommendation, bool(result.failed_thresholds), weights.totals
    )
    rivals = _rivals(case, framework, criteria)
    if rivals:
        # Ties keep the order of submission, wherever this case falls in it.
        bids = sorted([*rivals, ((case.submitted_at, case.pk), this)], key=lambda r: r[0])
        found["ranking"] = sensitivity.rank(
            [bid for _, bid in bids], criteria, samples=SAMPLES, seed=SEED
        ).as_dict()
    return found


def _rivals(case, framework, criteria) -> list[tuple[tuple, sensitivity.Bid]]:
    """The service's other live bids assessed against `framework`, each with its order of
    submission, from the totals stored with their assessments: one query, however many.

    A bid not assessed yet is left out (it is ranked with this one when its turn comes), and so
    is an anonymised one (bids/retention.py): nothing of it is left to compare."""
    rows = list(
        Assessment.objects.filter(
            framework=framework,
            case__service_id=case.service_id,
            case__status__in=ASSESSABLE,
            case__anonymised_at=None,
        )
        .exclude(case_id=case.pk)
        .order_by()  # ties are put in order of submission below
        .values_list(
            "pk",
            "case_id",
            "case__submitted_at",
            "case__reference",
            "recommendation",
            "failed_thresholds",
            "totals",
        )
    )
    stored = {}
    for pk, case_id, submitted_at, reference, recommendation, failed, tenths in rows:
        totals = _stored_totals(tenths, len(criteria))
        stored[pk] = ((submitted_at, case_id), reference, recommendation, bool(failed), totals)
    older = [pk for pk, row in stored.items() if row[-1] is None]
    if older:
        # Assessed before totals were stored: worked out from its scores.
        by_key = dict(Assessment.objects.filter(pk__in=older).values_list("pk", "scores"))
        for pk in older:
            scores = {s["key"]: s["score"] for s in by_key[pk]}
            stored[pk] = (
                *stored[pk][:-1],
                sensitivity.totals_of_scores(
                    [scores[c.key] for c in criteria], criteria, samples=SAMPLES, seed=SEED
                ),
            )
    return [
        (order, sensitivity.Bid(reference, recommendation, failed, totals))
        for order, reference, recommendation, failed, totals in stored.values()
    ]


def _stored_totals(tenths: dict | None, count: int) -> sensitivity.Totals | None:
    """An assessment's stored totals, if they were worked out as this version works them out."""
    if not tenths:
        return None
    totals = sensitivity.Totals.from_dict(tenths)
    if totals.count != SAMPLES or len(totals.changes) != 2 * count:
        return None
    return totals
