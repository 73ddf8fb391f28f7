"""Everything a decision pack says, gathered into plain dataclasses in a constant number of
queries, as the case stood when the pack was requested.

A pack's content depends only on the database and the pack's own row: its date is the moment it
was requested (never "now"), and the timeline, clarifications, documents and publication are read
as they were at that moment. So rendering the same version again later gives the same bytes, and
the SHA-256 kept with it proves the file was not altered. (What cannot come back is what the
retention policy removed: an anonymised case renders without the bidder's text.)

Blindness: where the case was reviewed blind, the pack names its reviewers "Reviewer 1", "Reviewer
2"... everywhere (scores, conflicts, the audit trail). An anonymised case names no bidder.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from bids import record
from bids.models import BusinessCase, Clarification, Document, Event
from evaluation.admin.assessments import sensitivity_lines
from evaluation.models import (
    Assessment,
    Assignment,
    Consensus,
    ConsensusScore,
    Decision,
    DecisionPack,
    Ground,
    Recommendation,
    ReviewScore,
    Screening,
)
from evaluation.review import reading
from evaluation.scoring.money import pounds

ANONYMISED = "Anonymised"


@dataclass(frozen=True)
class Service:
    name: str
    directorate: str
    portfolio: str
    districts: str
    gross_budget: str
    net_budget: str
    delivery_model: str
    tranche: str
    illustrative: bool


@dataclass(frozen=True)
class Criterion:
    title: str
    weight: str
    threshold: str
    score: int | None
    passed: bool
    rule: str


@dataclass(frozen=True)
class MachineAssessment:
    framework: str
    engine: str
    total: str
    recommendation: str
    disqualified: bool
    criteria: list[Criterion]
    reasons: list[str]
    sensitivity: list[str]
    scores: list[dict]  # as stored, for the chart


@dataclass(frozen=True)
class Review:
    reviewer: str
    submitted_at: datetime.datetime | None
    scores: list[tuple[str, int | None, str]]  # (criterion, score, comment)


@dataclass(frozen=True)
class ModeratedRow:
    criterion: str
    machine: int | None
    reviewers: list[int | None]
    consensus: int | None
    reason: str


@dataclass(frozen=True)
class Moderation:
    moderator: str
    recorded_at: datetime.datetime | None
    total: str
    recommendation: str
    reasons: list[str]
    machine_total: str
    machine_recommendation: str
    machine_reasons: list[str]
    reviewers: list[str]
    rows: list[ModeratedRow]


@dataclass(frozen=True)
class ScreeningRecord:
    screened_by: str
    screened_at: datetime.datetime
    route: str
    outcome: str
    ground: str
    reasons: str
    checks: list[tuple[str, bool]]


@dataclass(frozen=True)
class Conflict:
    reviewer: str
    assigned_at: datetime.datetime
    declared_at: datetime.datetime | None
    declaration: str  # "No interest", "Interest declared: recused", "Not declared"
    interest: str


@dataclass(frozen=True)
class ClarificationRecord:
    question: str
    asked_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None


@dataclass(frozen=True)
class DocumentRecord:
    name: str
    kind: str
    size: str
    sha256: str
    uploaded_at: datetime.datetime


@dataclass(frozen=True)
class DecisionRecord:
    outcome: str
    ground: str
    modification: str
    reasons: str
    decided_by: str
    decided_at: datetime.datetime
    published_at: datetime.datetime | None


@dataclass(frozen=True)
class AuditLine:
    at: datetime.datetime
    what: str
    change: str
    who: str
    note: str


@dataclass(frozen=True)
class PackContent:
    # The cover.
    reference: str
    title: str
    bidder: str
    body_type: str
    date: datetime.datetime
    status: str
    version: int
    blind: bool
    # The sections, in the pack's order.
    summary: list[str]
    decision_sought: str
    service: Service
    proposal: list[reading.Part]
    comparison: reading.Comparison | None
    assessment: MachineAssessment | None
    reviews: list[Review]
    moderation: Moderation | None
    screenings: list[ScreeningRecord]
    clarifications: list[ClarificationRecord]
    conflicts: list[Conflict]
    decision: DecisionRecord | None
    documents: list[DocumentRecord]
    audit: list[AuditLine]
    audit_counts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def file_title(self) -> str:
        return f"Decision pack {self.reference}, version {self.version}"


def _name(user) -> str:
    return (user.full_name or user.email) if user is not None else "the system"


class _Names:
    """Who someone is called in the pack: reviewers are "Reviewer n" in a blind case."""

    def __init__(self, assignments: list[Assignment], *, blind: bool):
        self.blind = blind
        self.reviewer_numbers = {a.reviewer_id: n for n, a in enumerate(assignments, start=1)}

    def reviewer(self, user) -> str:
        if self.blind and user is not None and user.pk in self.reviewer_numbers:
            return f"Reviewer {self.reviewer_numbers[user.pk]}"
        return _name(user)

    person = reviewer  # anyone: a reviewer of this case is hidden wherever they appear


def _status_then(case: BusinessCase, events: list[Event]) -> str:
    moves = [e for e in events if e.to_status]
    status = moves[-1].to_status if moves else case.status
    return dict(BusinessCase._meta.get_field("status").choices).get(status, status)


def _service(case: BusinessCase) -> Service:
    s = case.service
    districts = "County-wide" if s.county_wide else ", ".join(d.name for d in s.districts.all())
    return Service(
        name=s.name,
        directorate=s.directorate.name,
        portfolio=s.get_portfolio_display(),
        districts=districts or "None recorded",
        gross_budget=pounds(s.gross_budget),
        net_budget=pounds(s.net_budget),
        delivery_model=s.get_delivery_model_display(),
        tranche=str(s.market_review_tranche) if s.market_review_tranche else "Not in a tranche",
        illustrative=s.figures_illustrative,
    )


def _assessment(assessment: Assessment | None, criteria) -> MachineAssessment | None:
    if assessment is None:
        return None
    by_key = {c.key: c for c in criteria}
    rows = []
    for s in assessment.scores:
        c = by_key.get(s["key"])
        rows.append(
            Criterion(
                title=s.get("title") or s["key"],
                weight=str(c.weight.normalize()) if c else str(s.get("weight", "")),
                threshold="" if s.get("threshold") is None else str(s["threshold"]),
                score=s.get("score"),
                passed=bool(s.get("passed", True)),
                rule=s.get("rule", ""),
            )
        )
    return MachineAssessment(
        framework=str(assessment.framework),
        engine=assessment.engine_version,
        total=str(assessment.total),
        recommendation=Recommendation(assessment.recommendation).label,
        disqualified=assessment.disqualified,
        criteria=rows,
        reasons=list(assessment.reasons),
        sensitivity=sensitivity_lines(assessment),
        scores=assessment.scores,
    )


def _summary(
    case, machine: MachineAssessment | None, moderation: Moderation | None, decision
) -> tuple[list[str], str]:
    lines = []
    if machine is not None:
        lines.append(
            f"The machine's assessment scored the bid {machine.total} out of 100 and reads it as "
            f"“{machine.recommendation}”"
            + (" (it fails a threshold, which disqualifies it)." if machine.disqualified else ".")
        )
    if moderation is not None and moderation.recorded_at is not None:
        lines.append(
            f"The moderated consensus of the reviewers scored it {moderation.total} out of 100: "
            f"“{moderation.recommendation}”."
        )
    if decision is not None:
        sought = f"To note the decision: {decision.outcome}."
        if decision.ground:
            sought += f" Ground: {decision.ground}."
        lines.append(f"The council decided: {decision.outcome}.")
    elif moderation is not None and moderation.recorded_at is not None:
        sought = f"To decide the business case; the panel recommends “{moderation.recommendation}”."
    else:
        sought = "To decide the business case."
    return lines, sought


def gather(pack: DecisionPack) -> PackContent:
    """Everything the pack of `pack.case` says, as at `pack.requested_at`. About fifteen queries,
    however many reviewers, events or documents the case has."""
    at = pack.requested_at
    case = (
        BusinessCase.objects.select_related(
            "organisation", "service__directorate", "consensus__moderator"
        )
        .prefetch_related("service__districts")
        .get(pk=pack.case_id)
    )
    blind = case.blind_review
    events = list(
        Event.objects.filter(case=case, at__lte=at).select_related("actor").order_by("at", "pk")
    )
    assessment = (
        Assessment.objects.filter(case=case, created_at__lte=at)
        .select_related("framework")
        .prefetch_related("framework__criteria")
        .first()
    )
    criteria = list(assessment.framework.criteria.all()) if assessment else []
    assignments = list(
        Assignment.objects.filter(case=case, assigned_at__lte=at)
        .select_related("reviewer")
        .prefetch_related(
            Prefetch(
                "review__scores",
                queryset=ReviewScore.objects.select_related("criterion"),
            )
        )
        .order_by("assigned_at", "pk")
    )
    names = _Names(assignments, blind=blind)
    machine = _assessment(assessment, criteria)

    reviews = []
    for a in assignments:
        review = getattr(a, "review", None)
        if review is None or review.submitted_at is None or review.submitted_at > at:
            continue
        reviews.append(
            Review(
                reviewer=names.reviewer(a.reviewer),
                submitted_at=review.submitted_at,
                scores=[(s.criterion.title, s.score, s.comment) for s in review.scores.all()],
            )
        )

    moderation = _moderation(case, at, assessment, criteria, reviews, names)
    decision_row = (
        Decision.objects.filter(case=case, decided_at__lte=at).select_related("decided_by").first()
    )
    decision = None
    if decision_row is not None:
        published = decision_row.published_at
        decision = DecisionRecord(
            outcome=decision_row.get_outcome_display(),
            ground=Ground(decision_row.ground).label if decision_row.ground else "",
            modification=decision_row.modification,
            reasons=decision_row.reasons,
            decided_by=names.person(decision_row.decided_by),
            decided_at=decision_row.decided_at,
            published_at=published if published and published <= at else None,
        )
    summary, sought = _summary(case, machine, moderation, decision)
    try:
        proposal = [reading.Part(t, rows) for t, rows in record.document(case)]
    except record.NotSubmitted:
        proposal = []

    return PackContent(
        reference=case.reference or "Draft",
        title=case.title,
        bidder=ANONYMISED if case.anonymised_at else case.organisation.name,
        body_type=case.organisation.get_body_type_display(),
        date=timezone.localtime(at),
        status=_status_then(case, events),
        version=pack.version,
        blind=blind,
        summary=summary,
        decision_sought=sought,
        service=_service(case),
        proposal=proposal,
        comparison=reading.comparison(case, assessment) if not case.anonymised_at else None,
        assessment=machine,
        reviews=reviews,
        moderation=moderation,
        screenings=_screenings(case, at, names),
        clarifications=[
            ClarificationRecord(
                question=c.question,
                asked_at=c.asked_at,
                answer=c.answer if c.answered_at and c.answered_at <= at else "",
                answered_at=c.answered_at if c.answered_at and c.answered_at <= at else None,
            )
            for c in Clarification.objects.filter(case=case, asked_at__lte=at)
        ],
        conflicts=[
            Conflict(
                reviewer=names.reviewer(a.reviewer),
                assigned_at=a.assigned_at,
                declared_at=a.declared_at if a.declared_at and a.declared_at <= at else None,
                declaration=_declaration(a, at),
                interest=a.interest if a.recused and a.declared_at <= at else "",
            )
            for a in assignments
        ],
        decision=decision,
        documents=[
            DocumentRecord(
                name=d.name,
                kind=d.kind.upper(),
                size=_size(d.size),
                sha256=d.sha256,
                uploaded_at=d.uploaded_at,
            )
            for d in Document.objects.filter(case=case, uploaded_at__lte=at)
        ],
        audit=_audit(events, names),
        audit_counts=_counts(events),
    )


def _declaration(a: Assignment, at) -> str:
    if a.declared_at is None or a.declared_at > at:
        return "Not declared"
    return "Interest declared: recused" if a.recused else "No interest"


def _moderation(case, at, assessment, criteria, reviews, names) -> Moderation | None:
    consensus: Consensus | None = getattr(case, "consensus", None)
    if consensus is None or consensus.recorded_at is None or consensus.recorded_at > at:
        return None
    agreed = {
        s.criterion_id: s
        for s in ConsensusScore.objects.filter(consensus=consensus).select_related("criterion")
    }
    machine = {s["key"]: s.get("score") for s in (assessment.scores if assessment else [])}
    by_reviewer = [{title: score for title, score, _ in r.scores} for r in reviews]
    rows = [
        ModeratedRow(
            criterion=c.title,
            machine=machine.get(c.key),
            reviewers=[scores.get(c.title) for scores in by_reviewer],
            consensus=agreed[c.pk].score if c.pk in agreed else None,
            reason=agreed[c.pk].reason if c.pk in agreed else "",
        )
        for c in criteria
    ]
    return Moderation(
        moderator=names.person(consensus.moderator),
        recorded_at=consensus.recorded_at,
        total=str(consensus.total),
        recommendation=Recommendation(consensus.recommendation).label
        if consensus.recommendation
        else "",
        reasons=list(consensus.reasons),
        machine_total=str(assessment.total) if assessment else "",
        machine_recommendation=Recommendation(assessment.recommendation).label
        if assessment
        else "",
        machine_reasons=list(assessment.reasons) if assessment else [],
        reviewers=[r.reviewer for r in reviews],
        rows=rows,
    )


def _screenings(case, at, names) -> list[ScreeningRecord]:
    fields = {f.name: f for f in Screening._meta.get_fields()}
    return [
        ScreeningRecord(
            screened_by=names.person(s.screened_by),
            screened_at=s.screened_at,
            route=s.get_route_display(),
            outcome=s.get_outcome_display(),
            ground=Ground(s.ground).label if s.ground else "",
            reasons=s.reasons,
            checks=[
                (str(fields[name].verbose_name).capitalize(), getattr(s, name))
                for name in Screening.CHECKS
            ],
        )
        for s in Screening.objects.filter(case=case, screened_at__lte=at)
        .select_related("screened_by")
        .order_by("screened_at", "pk")
    ]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{Decimal(size) / 1024:.1f} KB"
    return f"{Decimal(size) / (1024 * 1024):.1f} MB"


def _audit(events: list[Event], names: _Names) -> list[AuditLine]:
    """The timeline less officers opening the case (counted instead: there are many)."""
    statuses = dict(BusinessCase._meta.get_field("status").choices)
    lines = []
    for e in events:
        if e.kind == Event.Kind.VIEWED:
            continue
        note = e.note
        if names.blind and e.kind == Event.Kind.ASSIGNED:
            note = ""  # names the reviewer
        change = (
            f"{statuses.get(e.from_status, '')} to {statuses.get(e.to_status, '')}"
            if e.to_status
            else ""
        )
        lines.append(
            AuditLine(
                at=e.at,
                what=e.get_kind_display(),
                change=change.strip(),
                who=names.person(e.actor) if e.actor_id else "",
                note=note,
            )
        )
    return lines


def _counts(events: list[Event]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for e in events:
        label = e.get_kind_display()
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items())
