"""Ranking a service's bids against each other: worked out when it is read (the officers'
assessment page, the decision pack), never when a bid is scored.

Each assessment stores its bid's totals under every weighting the sensitivity analysis tries
(`Assessment.totals`, evaluation.sensitivity.Totals), and every bid is weighed with the same
random vectors, so ranking a service's bids needs only those stored totals: one query and a few
operations on whole numbers a bid, with nothing scored again. Scoring a bid therefore costs the
same whether its service has no other bid or hundreds (it used to rank every rival again on each
new bid, so a popular service's cost grew with the square of its bids), and the ranking an
officer or a member reads always covers every live bid on the service assessed against the same
framework, including those assessed after this one.

Left out: bids withdrawn or still in draft, bids not assessed yet against that framework, and
anonymised ones (bids/retention.py: nothing of them is left to compare).
"""

from django.db.models import Subquery

from bids import workflow
from bids.models import BusinessCase
from evaluation import frameworks, sensitivity
from evaluation.assessments import SAMPLES, SEED
from evaluation.models import Assessment, Criterion


def ranking_of(assessment: Assessment) -> sensitivity.Ranking | None:
    """The bids on `assessment`'s service assessed against its framework, ranked by weighted total
    (equal totals in order of submission), with how often that order and the top bid hold under
    the weight changes; None when the bid has no live rival."""
    rows = list(
        Assessment.objects.filter(
            framework_id=assessment.framework_id,
            case__service_id=Subquery(
                BusinessCase.objects.filter(pk=assessment.case_id).values("service_id")
            ),
            case__status__in=workflow.ASSESSABLE,
            case__anonymised_at=None,
        )
        .order_by("case__submitted_at", "case_id")
        .values_list("pk", "case__reference", "recommendation", "failed_thresholds", "totals")
    )
    if len(rows) < 2 or all(row[0] != assessment.pk for row in rows):
        return None
    criteria = frameworks.specs_of(Criterion.objects.filter(framework_id=assessment.framework_id))
    return sensitivity.rank(_bids(rows, criteria), criteria, samples=SAMPLES, seed=SEED)


def _bids(rows, criteria) -> list[sensitivity.Bid]:
    """Each row's bid, from the totals stored with its assessment. An assessment made before
    totals were stored (migration 0005) has its totals worked out from its scores: one more
    query, only then."""
    stored = {
        pk: (reference, recommendation, bool(failed), _stored_totals(tenths, len(criteria)))
        for pk, reference, recommendation, failed, tenths in rows
    }
    older = [pk for pk, row in stored.items() if row[-1] is None]
    if older:
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
        sensitivity.Bid(reference, recommendation, failed, totals)
        for reference, recommendation, failed, totals in stored.values()
    ]


def _stored_totals(tenths: dict | None, count: int) -> sensitivity.Totals | None:
    """An assessment's stored totals, if they were worked out as this version works them out."""
    if not tenths:
        return None
    totals = sensitivity.Totals.from_dict(tenths)
    if totals.count != SAMPLES or len(totals.changes) != 2 * count:
        return None
    return totals
