"""The officers' CSV exports: business cases with the machine's and the consensus totals and the
decision; reviews; the conflicts register; the audit trail of a case.

Each is a header and a generator of rows, read with `values_list` (only the columns written, never
a case's answers) over `iterator()`, so one query serves any number of rows and the rows are
written as they arrive. kcc_portal.csv_export streams them and makes every cell safe to open in a
spreadsheet. Who may export is evaluation/admin/exports.py's business (officers who read every
case: the exports name bidders and reviewers).
"""

from collections.abc import Iterator

from django.db.models import DecimalField, OuterRef, Subquery

from bids.models import BusinessCase, Event, Outcome, Status
from evaluation.models import Assessment, Assignment, Ground, ReviewScore
from kcc_portal.csv_export import CHUNK_SIZE
from services.models import Portfolio

ANONYMISED = "Anonymised"


def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else value or ""


# --- Business cases ------------------------------------------------------------------------------

CASE_HEADER = (
    "reference",
    "service",
    "portfolio",
    "organisation",
    "status",
    "submitted at",
    "machine total",
    "machine recommendation",
    "consensus total",
    "consensus recommendation",
    "outcome",
    "statutory ground",
    "decided at",
    "published at",
)


def cases(selected) -> Iterator[tuple]:
    """The cases of the queryset `selected`, by reference: the latest assessment's total and
    recommendation, the consensus once recorded, and the decision."""
    latest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = (
        BusinessCase.objects.filter(pk__in=selected.values("pk"))
        .annotate(
            machine_total=Subquery(
                latest.values("total")[:1],
                output_field=DecimalField(max_digits=5, decimal_places=1),
            ),
            machine_recommendation=Subquery(latest.values("recommendation")[:1]),
        )
        .order_by("reference", "pk")
        .values_list(
            "reference",
            "service__name",
            "service__portfolio",
            "organisation__name",
            "anonymised_at",
            "status",
            "submitted_at",
            "machine_total",
            "machine_recommendation",
            "consensus__recorded_at",
            "consensus__total",
            "consensus__recommendation",
            "outcome",
            "decision__ground",
            "decision__decided_at",
            "decision__published_at",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        (reference, service, portfolio, organisation, anonymised, status, submitted) = row[:7]
        machine_total, machine_says, recorded, consensus_total, consensus_says = row[7:12]
        outcome, ground, decided, published = row[12:]
        yield (
            reference,
            service,
            _label(Portfolio, portfolio),
            ANONYMISED if anonymised else organisation,
            _label(Status, status),
            submitted,
            machine_total,
            machine_says,
            consensus_total if recorded else None,
            consensus_says if recorded else None,
            _label(Outcome, outcome),
            _label(Ground, ground),
            decided,
            published,
        )


# --- Reviews -------------------------------------------------------------------------------------

REVIEW_HEADER = (
    "case",
    "service",
    "reviewer",
    "review submitted at",
    "criterion",
    "criterion key",
    "score",
    "comment",
)


def reviews(assignments) -> Iterator[tuple]:
    """Every score of the submitted reviews of `assignments` (a queryset), one row per criterion,
    by case, reviewer and the criteria's order. Drafts are the reviewer's own until submitted."""
    rows = (
        ReviewScore.objects.filter(
            review__assignment__in=assignments.values("pk"),
            review__submitted_at__isnull=False,
        )
        .order_by(
            "review__assignment__case__reference",
            "review__assignment__reviewer__full_name",
            "review__pk",
            "criterion__order",
            "criterion__pk",
        )
        .values_list(
            "review__assignment__case__reference",
            "review__assignment__case__service__name",
            "review__assignment__reviewer__full_name",
            "review__submitted_at",
            "criterion__title",
            "criterion__key",
            "score",
            "comment",
        )
    )
    yield from rows.iterator(chunk_size=CHUNK_SIZE)


# --- The conflicts register ----------------------------------------------------------------------

CONFLICTS_HEADER = (
    "case",
    "service",
    "reviewer",
    "reviewer email",
    "assigned by",
    "assigned at",
    "declaration",
    "interest",
    "declared at",
)


def conflicts(assignments) -> Iterator[tuple]:
    """Each assignment of `assignments` (a queryset) and its declaration, by case."""
    chosen = Assignment.objects.filter(pk__in=assignments.values("pk"))
    rows = chosen.order_by("case__reference", "assigned_at", "pk").values_list(
        "case__reference",
        "case__service__name",
        "reviewer__full_name",
        "reviewer__email",
        "assigned_by__full_name",
        "assigned_at",
        "has_interest",
        "interest",
        "declared_at",
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        has_interest = row[6]
        declaration = {None: "not declared", True: "interest", False: "none"}[has_interest]
        yield (*row[:6], declaration, *row[7:])


# --- The audit trail of a case -------------------------------------------------------------------

EVENTS_HEADER = ("at", "event", "from status", "to status", "by", "note")


def events(case: BusinessCase) -> Iterator[tuple]:
    """The case's timeline, oldest first, as officers see it (every kind of event). An event with
    no actor was the portal's own (an assessment) or its actor's account was anonymised."""
    rows = (
        Event.objects.filter(case=case)
        .order_by("at", "pk")
        .values_list("at", "kind", "from_status", "to_status", "actor__full_name", "note")
    )
    for at, kind, from_status, to_status, actor, note in rows.iterator(chunk_size=CHUNK_SIZE):
        yield (
            at,
            _label(Event.Kind, kind),
            _label(Status, from_status),
            _label(Status, to_status),
            actor,
            note,
        )
