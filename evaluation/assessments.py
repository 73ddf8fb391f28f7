"""Assessing a submitted business case: the one place that turns a case into an Assessment.

Idempotent: there is one assessment per case and framework version (a unique constraint), and
the case's row is locked while it is assessed, so two workers given the same case (a redelivered
message, a sweep racing a submission) produce one assessment between them.

Cheap, and as cheap for the fiftieth bid on a service as for the first: a constant number of
queries (a test counts them), and rival bids are not looked at: each assessment stores its bid's
totals under every weighting tried (evaluation.sensitivity.Totals), and the service's bids are
ranked from those when the ranking is read (evaluation/rankings.py). On PostgreSQL a case takes
four round trips: BEGIN; one statement that locks the case and reads everything scoring needs
(the case, its service and organisation, the current framework, any assessment already made);
one that saves the assessment and marks the case assessed; COMMIT.
Both statements are plain SQL written once, because building them with the ORM each time cost
more than everything else a case does. Other databases (SQLite, for development) take the
same steps through the ORM, in more queries.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Organisation
from bids import workflow
from bids.models import BusinessCase
from evaluation import frameworks, scoring, sensitivity
from evaluation.figures import figures_of
from evaluation.models import Assessment, Criterion, Framework
from services.models import Service

log = logging.getLogger(__name__)

# Cases that have been submitted and not withdrawn: the ones worth assessing.
ASSESSABLE = workflow.ASSESSABLE
# Random weight vectors for the sensitivity analysis, and their seed: the same for every case,
# so any two bids assessed against the same framework can be ranked from their stored totals
# (evaluation/rankings.py).
SAMPLES = 300
SEED = 0


@dataclass(frozen=True)
class _Found:
    """What the locking read found: the case (only what scoring reads), the framework to assess
    against, and the id of an assessment already made against it."""

    case: BusinessCase
    framework_id: int
    frozen_at: datetime | None
    existing_id: int | None


def assess_case(case_id: int, *, framework: Framework | None = None) -> Assessment | None:
    """Assesses the case against `framework` (the current one by default), unless that was done
    already, and returns the assessment; None if the case is gone or not submitted."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            found = _load_postgresql(case_id, framework)
        else:
            found = _load_orm(case_id, framework)
        if found is None:
            return None
        if found.existing_id is not None:
            return Assessment.objects.get(pk=found.existing_id)
        case = found.case
        criteria, titles = _criteria(found.framework_id, found.frozen_at)
        figures = figures_of(case)
        evaluation = scoring.evaluate(figures)
        result = scoring.assess(figures, criteria, evaluation=evaluation)
        weights = sensitivity.sensitivity(
            figures, criteria, samples=SAMPLES, seed=SEED, evaluation=evaluation
        )
        assessment = Assessment(
            case=case,
            framework_id=found.framework_id,
            engine_version=scoring.ENGINE_VERSION,
            scores=[{**score.as_dict(), "title": titles[score.key]} for score in result.scores],
            total=result.total,
            recommendation=result.recommendation,
            reasons=list(result.reasons),
            failed_thresholds=list(result.failed_thresholds),
            whole_life={k: str(v) for k, v in result.whole_life.items()},
            # The ranking among the service's other bids is worked out when it is read.
            sensitivity={"weights": weights.as_dict()},
            totals=weights.totals.as_dict(),
        )
        if found.frozen_at is None:
            frameworks.freeze(Framework(pk=found.framework_id))  # once a framework
        if connection.vendor == "postgresql":
            _save_postgresql(assessment)
        else:
            assessment.save(force_insert=True)
            workflow.record_assessed(case_id=case.pk)
    log.info("assessed %s: %s %s", case.reference, assessment.recommendation, assessment.total)
    return assessment


# --- PostgreSQL: one statement to read, one to write ----------------------------------------

# Locks the case (FOR UPDATE OF c) and reads all that assessing it needs. `set_config` makes
# this transaction's commit asynchronous: an assessment can always be made again, so its commit
# need not wait for the disk (with a crash in the next fraction of a second it could be lost,
# never half of it, and then the case is unassessed again and the sweep queues it:
# evaluation/sweeps.py); waiting would cost most of a case's time on a busy disk. Set here
# rather than by a SET LOCAL of its own to save a round trip.
# Parameters: framework id (None: the current one) twice, case id, the statuses worth assessing.
_READ = """
SELECT set_config('synchronous_commit', 'off', true),
       c.reference, c.record::text, c.submitted_at, c.service_id, c.organisation_id,
       s.net_budget, s.gross_budget, o.annual_turnover, o.reserves, f.id, f.frozen_at,
       (SELECT a.id FROM evaluation_assessment a WHERE a.case_id = c.id AND a.framework_id = f.id)
  FROM bids_businesscase c
  JOIN services_service s ON s.id = c.service_id
  JOIN accounts_organisation o ON o.id = c.organisation_id
  LEFT JOIN LATERAL (
        SELECT id, frozen_at FROM evaluation_framework
         WHERE CASE WHEN %s::integer IS NULL THEN is_current ELSE id = %s::integer END
         ORDER BY version DESC LIMIT 1) f ON true
 WHERE c.id = %s AND c.status = ANY(%s)
   FOR UPDATE OF c
"""
_STATUSES = sorted(str(s) for s in ASSESSABLE)


def _load_postgresql(case_id: int, framework: Framework | None) -> _Found | None:
    framework_id = framework.pk if framework is not None else None
    with connection.cursor() as cursor:
        cursor.execute(_READ, [framework_id, framework_id, case_id, _STATUSES])
        row = cursor.fetchone()
    if row is None:
        return None
    (
        _,
        reference,
        record,
        submitted_at,
        service_id,
        organisation_id,
        net_budget,
        gross_budget,
        turnover,
        reserves,
        framework_id,
        frozen_at,
        existing_id,
    ) = row
    if framework_id is None:
        raise RuntimeError("There is no current criteria framework to assess against.")
    # Model instances holding only what scoring reads; any other field is deferred, so reading
    # it loads it, as with .only().
    case = BusinessCase.from_db(
        connection.alias,
        ["id", "reference", "organisation_id", "service_id", "record", "submitted_at"],
        [case_id, reference, organisation_id, service_id, json.loads(record), submitted_at],
    )
    case.service = Service.from_db(
        connection.alias,
        ["id", "gross_budget", "net_budget"],
        [service_id, gross_budget, net_budget],
    )
    case.organisation = Organisation.from_db(
        connection.alias,
        ["id", "annual_turnover", "reserves"],
        [organisation_id, turnover, reserves],
    )
    return _Found(case, framework_id, frozen_at, existing_id)


def _save_postgresql(assessment: Assessment) -> None:
    """Inserts the assessment and marks the case assessed (bids.workflow.record_assessed_sql),
    in one statement. The assessment's columns are prepared as the ORM prepares them."""
    fields, insert = _insert()
    values = [f.get_db_prep_save(f.pre_save(assessment, True), connection) for f in fields]
    marked, marked_params = workflow.record_assessed_sql(
        case_id=assessment.case_id, at=timezone.now()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # Every piece is fixed text: the values are parameters.
            f"WITH new AS ({insert} RETURNING id), {marked} SELECT id FROM new",  # noqa: S608
            [*values, *marked_params],
        )
        (assessment.pk,) = cursor.fetchone()
    assessment._state.adding = False
    assessment._state.db = connection.alias


@cache
def _insert() -> tuple[list, str]:
    """The assessment's columns and the INSERT that takes their values as parameters."""
    fields = [f for f in Assessment._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Assessment._meta.db_table)
    values = ", ".join(["%s"] * len(fields))
    return fields, f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608 - names


# --- Other databases: the same steps through the ORM ----------------------------------------


def _load_orm(case_id: int, framework: Framework | None) -> _Found | None:
    framework = framework or Framework.objects.current()
    if framework is None:
        raise RuntimeError("There is no current criteria framework to assess against.")
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
                Assessment.objects.filter(case=OuterRef("pk"), framework=framework).values("pk")[:1]
            )
        )
        .filter(pk=case_id, status__in=ASSESSABLE)
        .first()
    )
    if case is None:
        return None
    return _Found(case, framework.pk, framework.frozen_at, case.existing_id)


# --- Both ---------------------------------------------------------------------------------

# A frozen framework's criteria never change (Criterion.save refuses: make a new version), so a
# process reads them once: {(framework id, frozen at): (specs, titles)}.
_FROZEN: dict[tuple, tuple] = {}


def _criteria(framework_id: int, frozen_at: datetime | None) -> tuple[tuple, dict[str, str]]:
    """The framework's criteria as scoring reads them, and their titles."""
    key = (framework_id, frozen_at)
    if key in _FROZEN:
        return _FROZEN[key]
    rows = list(Criterion.objects.filter(framework_id=framework_id))
    found = (frameworks.specs_of(rows), {c.key: c.title for c in rows})
    if frozen_at is not None:
        _FROZEN[key] = found
    return found
