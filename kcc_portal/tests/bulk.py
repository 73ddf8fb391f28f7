"""Many rows quickly, for the tests and benchmark of the lists at scale: bulk inserts of business
cases at every status with what officers' lists show beside them (events, assessments,
assignments, clarifications, decisions, decision packs). Not the workflow: the rows are made
directly, as a copy of a busy council's database would hold them.
"""

import itertools
import uuid
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from bids import record
from bids.factories import complete_answers
from bids.models import BusinessCase, Clarification, Event, Outcome, Status
from evaluation.models import (
    Assessment,
    Assignment,
    Decision,
    DecisionPack,
    Framework,
    Recommendation,
)
from services.models import Directorate, Service

# A case at each status in turn; drafts are the bidders' alone, decided ones reach members.
STATUSES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.SCREENING,
    Status.UNDER_REVIEW,
    Status.MODERATION,
    Status.DECIDED,
    Status.PUBLISHED,
    Status.WITHDRAWN,
]
BATCH = 2_000


def services(n: int, *, prefix: str = "Bulk service") -> list[Service]:
    directorate, _ = Directorate.objects.get_or_create(
        slug="bulk-directorate", defaults={"name": "Bulk directorate"}
    )
    today = timezone.localdate()
    start = Service.objects.count()
    return Service.objects.bulk_create(
        [
            Service(
                name=f"{prefix} {start + i}",
                slug=f"bulk-service-{start + i}",
                summary="What the service does, for whom.",
                directorate=directorate,
                portfolio="business_capability",
                gross_budget=Decimal("1200000.00"),
                net_budget=Decimal("1000000.00"),
                delivery_model="in_house",
                market_review_tranche=1,
                bid_window_opens=today,
                bid_window_closes=today,
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )


def organisations(n: int) -> list[Organisation]:
    """`n` organisations, each with one member (who starts its cases)."""
    start = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bulk community group {start + i}",
                body_type=Organisation.BodyType.VOLUNTARY,
                join_code=uuid.uuid4().hex[:16],
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    members(orgs)
    return orgs


def members(orgs, *, each: int = 1) -> list[User]:
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulk{start + i}-{j}@example.org",
                full_name=f"Bulk Person {start + i}-{j}",
                organisation=org,
                password="!",  # unusable: these people never sign in
            )
            for i, org in enumerate(orgs)
            for j in range(each)
        ],
        batch_size=BATCH,
    )
    return users


def officers() -> tuple[User, list[User]]:
    """A commissioning officer and two reviewers, for assignments and decisions."""
    made = []
    for role, name in [
        (Role.COMMISSIONING_OFFICER, "officer"),
        (Role.REVIEWER, "reviewer-a"),
        (Role.REVIEWER, "reviewer-b"),
    ]:
        user, created = User.objects.get_or_create(
            email=f"bulk-{name}@kent.gov.uk",
            defaults={"full_name": f"Bulk {name}", "is_staff": True},
        )
        if created:
            user.groups.add(Group.objects.get(name=role))
        made.append(user)
    return made[0], made[1:]


def cases(n: int, *, orgs, services_, officer=None, reviewers=()) -> list[BusinessCase]:
    """`n` cases spread over `orgs` and `services_`, at each status in turn, with their events,
    and for submitted ones an assessment, a clarification for one in five, assignments when
    under review, a decision and a queued pack when decided."""
    if officer is None:
        officer, reviewers = officers()
    framework = Framework.objects.current()
    now = timezone.now()
    answers = complete_answers()  # a whole case's answers and record: what the lists must not read
    as_submitted = record.build(answers)
    creators = dict(User.objects.filter(organisation__in=orgs).values_list("organisation", "pk"))
    start = BusinessCase.objects.count()
    made = []
    org_cycle, service_cycle, status_cycle = (
        itertools.cycle(orgs),
        itertools.cycle(services_),
        itertools.cycle(STATUSES),
    )
    for i in range(n):
        org, service, status = next(org_cycle), next(service_cycle), next(status_cycle)
        submitted = status != Status.DRAFT
        made.append(
            BusinessCase(
                reference=f"RTB-B-{start + i + 1:07d}" if submitted else None,
                organisation=org,
                service=service,
                created_by_id=creators[org.pk],
                title=f"{service.name}: community bid {start + i + 1}",
                status=status,
                answers=answers,
                record=as_submitted if submitted else {},
                submitted_at=now if submitted else None,
                status_changed_at=now,
                outcome=Outcome.ACCEPTED if status in (Status.DECIDED, Status.PUBLISHED) else "",
            )
        )
    made = BusinessCase.objects.bulk_create(made, batch_size=BATCH)
    submitted = [c for c in made if c.status != Status.DRAFT]
    decided = [c for c in made if c.status in (Status.DECIDED, Status.PUBLISHED)]
    Event.objects.bulk_create(
        [
            Event(case=c, kind=kind, actor_id=c.created_by_id)
            for c in made
            for kind in (
                [Event.Kind.CREATED, Event.Kind.SUBMITTED] if c.reference else [Event.Kind.CREATED]
            )
        ],
        batch_size=BATCH,
    )
    if framework is not None:
        Assessment.objects.bulk_create(
            [
                Assessment(
                    case=c,
                    framework=framework,
                    engine_version="bulk",
                    scores=[],
                    total=Decimal("62.5"),
                    recommendation=Recommendation.BUY,
                    reasons=["A reason the list does not show. " * 5] * 6,
                )
                for c in submitted
            ],
            batch_size=BATCH,
        )
    Clarification.objects.bulk_create(
        [Clarification(case=c, question="Why?", asked_by=officer) for c in submitted[::5]],
        batch_size=BATCH,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(case=c, reviewer=r, assigned_by=officer, has_interest=False)
            for c in made
            if c.status == Status.UNDER_REVIEW
            for r in reviewers
        ],
        batch_size=BATCH,
    )
    Decision.objects.bulk_create(
        [
            Decision(case=c, outcome=Outcome.ACCEPTED, reasons="Saves money.", decided_by=officer)
            for c in decided
        ],
        batch_size=BATCH,
    )
    DecisionPack.objects.bulk_create(
        [DecisionPack(case=c, version=1, requested_by=officer) for c in decided],
        batch_size=BATCH,
    )
    return made
