"""The status of a business case and the one path every change of it takes.

Each move checks who may make it, changes the status with a guarded update (the lock: if no row
moved, someone else got there first), records an event on the timeline, and announces itself on
commit. Officer moves in the admin call these same functions.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.roles import Role
from bids import record, sections
from bids.models import BusinessCase, Event, Outcome, ReferenceSequence, Status
from bids.signals import case_moved, case_submitted
from services.bid_window import bid_status

# Submitted and not yet decided or withdrawn.
UNDER_CONSIDERATION = {Status.SUBMITTED, Status.SCREENING, Status.UNDER_REVIEW, Status.MODERATION}
# The bidder can still withdraw.
OPEN = {Status.DRAFT} | UNDER_CONSIDERATION
# A decision has been made.
DECIDED = {Status.DECIDED, Status.PUBLISHED}
# Submitted and standing (not withdrawn): the machine assesses these.
ASSESSABLE = UNDER_CONSIDERATION | DECIDED

ALLOWED: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.SCREENING, Status.WITHDRAWN},
    Status.SCREENING: {Status.UNDER_REVIEW, Status.DECIDED, Status.WITHDRAWN},
    Status.UNDER_REVIEW: {Status.MODERATION, Status.WITHDRAWN},
    Status.MODERATION: {Status.UNDER_REVIEW, Status.DECIDED, Status.WITHDRAWN},
    Status.DECIDED: {Status.PUBLISHED},
    Status.PUBLISHED: set(),
    Status.WITHDRAWN: set(),
}


# Who may make each move in ALLOWED. ORGANISATION stands for the members of the case's own
# organisation (the bidder); the rest are officers' roles (accounts/roles.py). A move with no
# entry here is made by nobody, so a move added to ALLOWED is refused until someone is named.
ORGANISATION = "organisation"
_COMMISSIONING = frozenset({Role.COMMISSIONING_OFFICER, Role.ADMIN})
MAY_MOVE: dict[tuple[str, str], frozenset[str]] = {
    (Status.DRAFT, Status.SUBMITTED): frozenset({ORGANISATION}),
    **{(status, Status.WITHDRAWN): frozenset({ORGANISATION}) for status in OPEN},
    (Status.SUBMITTED, Status.SCREENING): _COMMISSIONING,
    (Status.SCREENING, Status.UNDER_REVIEW): _COMMISSIONING,
    # A case that fails screening is decided (rejected on a statutory ground) there and then.
    (Status.SCREENING, Status.DECIDED): _COMMISSIONING,
    # Reviews are in: the officer running the case or the moderator opens moderation; the
    # moderator may send it back for more review.
    (Status.UNDER_REVIEW, Status.MODERATION): _COMMISSIONING | {Role.MODERATOR},
    (Status.MODERATION, Status.UNDER_REVIEW): _COMMISSIONING | {Role.MODERATOR},
    (Status.MODERATION, Status.DECIDED): _COMMISSIONING,
    (Status.DECIDED, Status.PUBLISHED): _COMMISSIONING,
}


# Who may do what else to a case, in the same terms.
class Action(models.TextChoices):
    EDIT = "edit", "change the draft and its documents"
    ASK = "ask", "ask the bidder a clarification question"
    ANSWER = "answer", "answer a clarification question"
    READ = "read", "read a submitted business case in full"
    SCREEN = "screen", "screen a business case"
    ASSIGN = "assign", "assign reviewers"
    REVIEW = "review", "review a business case assigned to them"
    MODERATE = "moderate", "record the moderated consensus"
    DECIDE = "decide", "record the decision"
    PUBLISH = "publish", "publish the decision"


MAY_ACT: dict[str, frozenset[str]] = {
    Action.EDIT: frozenset({ORGANISATION}),
    Action.ASK: _COMMISSIONING | {Role.REVIEWER, Role.MODERATOR},
    Action.ANSWER: frozenset({ORGANISATION}),
    # Reviewers read only what they are assigned to and have declared no interest in: evaluation
    # narrows this role further by their assignments.
    Action.READ: _COMMISSIONING | {Role.MODERATOR, Role.REVIEWER},
    Action.SCREEN: _COMMISSIONING,
    Action.ASSIGN: _COMMISSIONING,
    Action.REVIEW: frozenset({Role.REVIEWER}),
    Action.MODERATE: frozenset({Role.MODERATOR, Role.ADMIN}),
    Action.DECIDE: _COMMISSIONING,
    Action.PUBLISH: _COMMISSIONING,
}


# When each action can be taken: the statuses it is open in.
OPEN_IN: dict[str, frozenset[str]] = {
    Action.EDIT: frozenset({Status.DRAFT}),
    Action.ASK: frozenset(UNDER_CONSIDERATION),
    Action.ANSWER: frozenset(UNDER_CONSIDERATION),
    Action.READ: frozenset(ASSESSABLE | {Status.WITHDRAWN}),
    Action.SCREEN: frozenset({Status.SUBMITTED, Status.SCREENING}),
    Action.ASSIGN: frozenset({Status.SCREENING, Status.UNDER_REVIEW}),
    Action.REVIEW: frozenset({Status.UNDER_REVIEW}),
    Action.MODERATE: frozenset({Status.MODERATION}),
    # A rejection at screening, or a decision after moderation.
    Action.DECIDE: frozenset({Status.SCREENING, Status.MODERATION}),
    Action.PUBLISH: frozenset({Status.DECIDED}),
}


class WorkflowError(Exception):
    """A move that cannot be made; the message is written for the person who tried."""


def officer_roles(user) -> frozenset[str]:
    """The user's roles; superusers count as administrators. Inactive or anonymous: none."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(user.roles | ({Role.ADMIN} if user.is_superuser else set()))


def acting_as(user, case: BusinessCase) -> frozenset[str]:
    """What `user` may act as on `case`: a member of its organisation, and their roles."""
    roles = officer_roles(user)
    member = user.is_authenticated and user.is_active and user.organisation_id is not None
    if member and user.organisation_id == case.organisation_id:
        roles |= {ORGANISATION}
    return roles


def may_move(user, case: BusinessCase, to: str) -> bool:
    """Whether `user` may move `case` from where it is now to `to`."""
    allowed = to in ALLOWED[case.status]
    return allowed and bool(acting_as(user, case) & MAY_MOVE.get((case.status, to), frozenset()))


def may(user, case: BusinessCase | None, action: str) -> bool:
    """Whether `user` may take `action` (an Action) on `case`, whatever its status. With no case,
    whether their role may take it on some case (the admin asks this to offer a page)."""
    roles = officer_roles(user) if case is None else acting_as(user, case)
    return bool(roles & MAY_ACT[action])


def check_may(user, case: BusinessCase | None, action: str) -> None:
    """Raises WorkflowError, saying who could or when, unless `user` may take `action` on `case`
    now (their role, and the case's status)."""
    if not may(user, case, action):
        raise WorkflowError(f"Only {_who(MAY_ACT[action])} can {Action(action).label}.")
    if case is not None and case.status not in OPEN_IN[action]:
        raise WorkflowError(
            f"You cannot {Action(action).label} now: the business case is "
            f"{case.get_status_display().lower()}."
        )


def roles_moving_to(to: str) -> frozenset[str]:
    """Every role that may make some move to `to`: the admin offers an action to these."""
    return frozenset().union(*(who for (_, target), who in MAY_MOVE.items() if target == to))


def _who(roles: frozenset[str]) -> str:
    names = sorted(
        "a member of the organisation that made the bid" if r == ORGANISATION else Role(r).label
        for r in roles
        if r != Role.ADMIN
    )
    if not names:
        return "an administrator"
    return " or ".join(n if n.startswith("a member") else f"a {n.lower()}" for n in names)


def check_may_move(user, case: BusinessCase, to: str) -> None:
    """Raises WorkflowError, saying who could, unless `user` may make this move now."""
    if to not in ALLOWED[case.status]:
        raise WorkflowError(
            f"A business case that is {case.get_status_display().lower()} cannot be moved to "
            f"{Status(to).label.lower()}."
        )
    if not may_move(user, case, to):
        who = MAY_MOVE.get((case.status, to), frozenset())
        raise WorkflowError(
            f"Only {_who(who)} can move a business case from "
            f"{case.get_status_display().lower()} to {Status(to).label.lower()}."
        )


def can_edit(case: BusinessCase, user) -> bool:
    return case.status == Status.DRAFT and may(user, case, Action.EDIT)


def start(*, service, by) -> BusinessCase:
    """Starts a draft business case for the user's organisation."""
    if by.organisation_id is None:
        raise WorkflowError("Create or join an organisation before you start a business case.")
    if not service.is_open_for_bids():
        reason = bid_status(service).reason
        raise WorkflowError(f"{service.name} is not open for bids ({reason}).")
    with transaction.atomic():
        case = BusinessCase.objects.create(
            organisation_id=by.organisation_id,
            service=service,
            created_by=by,
            title=f"{service.name}: business case",
        )
        Event.objects.create(case=case, kind=Event.Kind.CREATED, actor=by)
    return case


def next_reference(year: int) -> str:
    """RTB-<year>-<number>: numbers run from 1 each year, without gaps, under a row lock."""
    ReferenceSequence.objects.get_or_create(year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"RTB-{year}-{sequence.last:04d}"


def submit(*, case: BusinessCase, by) -> BusinessCase:
    """Submits a complete draft while the service's bid window is open. Exactly once: a second
    submission (another tab, a double click) finds the case no longer a draft and changes nothing.
    Sends the confirmation email and announces `case_submitted` after commit."""
    if not acting_as(by, case) & MAY_MOVE[(Status.DRAFT, Status.SUBMITTED)]:
        raise WorkflowError("Only members of the organisation can submit this business case.")
    if case.status != Status.DRAFT:
        raise WorkflowError(
            f"This business case has already been {case.get_status_display().lower()}."
        )
    if not case.service.is_open_for_bids():
        reason = bid_status(case.service).reason
        raise WorkflowError(
            f"{case.service.name} is not open for bids ({reason}), so this business case "
            "cannot be submitted. Your draft is saved."
        )
    missing = sections.incomplete(case)
    if missing:
        names = ", ".join(s.title.lower() for s in missing)
        raise WorkflowError(f"Complete every section before you submit. Still to do: {names}.")

    now = timezone.now()
    submitted = record.build(case.answers)  # the answers as they stand, typed and worded
    with transaction.atomic():
        reference = next_reference(timezone.localdate().year)
        moved = BusinessCase.objects.filter(pk=case.pk, status=Status.DRAFT).update(
            record=submitted,
            status=Status.SUBMITTED,
            submitted_at=now,
            status_changed_at=now,
            reference=reference,
            updated_at=now,
        )
        if moved != 1:
            # Another request submitted it first; rolling back returns the unused reference.
            transaction.set_rollback(True)
            raise WorkflowError("This business case has already been submitted.")
        Event.objects.create(
            case=case,
            kind=Event.Kind.SUBMITTED,
            from_status=Status.DRAFT,
            to_status=Status.SUBMITTED,
            actor=by,
        )
        case_id = case.pk
        transaction.on_commit(lambda: _send_confirmation(case_id))
        transaction.on_commit(lambda: case_submitted.send(sender=BusinessCase, case_id=case_id))
    case.refresh_from_db()
    return case


def _send_confirmation(case_id: int) -> None:
    case = BusinessCase.objects.select_related("service", "created_by").get(pk=case_id)
    recipients = sorted(
        {u.email for u in case.organisation.members.all()} | {case.created_by.email}
    )
    context = {"case": case, "site_name": settings.SERVICE_NAME}
    send_mail(
        subject=f"Business case {case.reference} received: {case.service.name}",
        message=render_to_string("bids/email/submitted.txt", context),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,  # the submission stands even if the mail server is down
    )


def move(*, case: BusinessCase, to: str, by, note: str = "", outcome: str = "") -> BusinessCase:
    """Moves a submitted case along the workflow, if `by` may make that move (MAY_MOVE).
    Submission has its own function, `submit`, which gives the reference: `move` never submits.
    A move to decided names its `outcome` (evaluation.review.decisions records the decision)."""
    if to == Status.SUBMITTED:
        raise WorkflowError("A draft is submitted by its organisation, with its answers complete.")
    check_may_move(by, case, to)
    if (to == Status.DECIDED) != bool(outcome) or (outcome and outcome not in Outcome.values):
        raise WorkflowError("A decided case has an outcome, and only a decided case has one.")
    with transaction.atomic():
        now = timezone.now()
        # Withdrawn or decided: the retention of its personal data runs from now (bids/retention.py)
        closed = {"closed_at": now} if to in {Status.WITHDRAWN, Status.DECIDED} else {}
        decided = {"outcome": outcome} if outcome else {}
        moved = BusinessCase.objects.filter(pk=case.pk, status=case.status).update(
            status=to, updated_at=now, status_changed_at=now, **closed, **decided
        )
        if moved != 1:
            raise WorkflowError("Someone else changed this business case first: reload it.")
        kind = Event.Kind.WITHDRAWN if to == Status.WITHDRAWN else Event.Kind.MOVED
        Event.objects.create(
            case=case, kind=kind, from_status=case.status, to_status=to, actor=by, note=note
        )
        case_id, from_status = case.pk, case.status
        transaction.on_commit(
            lambda: case_moved.send(
                sender=BusinessCase, case_id=case_id, from_status=from_status, to_status=to
            )
        )
    case.refresh_from_db()
    return case


def withdraw(*, case: BusinessCase, by, reason: str = "") -> BusinessCase:
    """The bidder withdraws their case: possible until a decision is made."""
    if ORGANISATION not in acting_as(by, case):
        raise WorkflowError("Only members of the organisation can withdraw this business case.")
    if case.status not in OPEN:
        raise WorkflowError(
            "A decision has been made on this business case, so it can no longer be withdrawn."
            if case.status in DECIDED
            else "This business case has already been withdrawn."
        )
    return move(case=case, to=Status.WITHDRAWN, by=by, note=reason)


def record_assessed(*, case_id: int) -> bool:
    """Notes on the case that its automatic assessment has finished (evaluation calls this).
    Idempotent: only the first call changes anything. The score itself is not the bidder's to
    see before a decision is published, so the timeline says only that it happened."""
    # Within the assessment's own transaction no savepoint is needed (a failure here fails the
    # whole assessment, as it should), which saves two round trips a case.
    with transaction.atomic(savepoint=False):
        marked = BusinessCase.objects.filter(pk=case_id, assessed_at__isnull=True).update(
            assessed_at=timezone.now()
        )
        if marked:
            Event.objects.create(case_id=case_id, kind=Event.Kind.ASSESSED)
    return bool(marked)


def record_assessed_sql(*, case_id: int, at) -> tuple[str, list]:
    """`record_assessed` as two common table expressions ("assessed_case", "assessed_event"),
    for a caller on PostgreSQL that writes it in the statement that saves the assessment
    (evaluation.assessments): one round trip instead of three. Same effect: the first call marks
    the case and adds the event, later ones change nothing."""
    return (
        "assessed_case AS (UPDATE bids_businesscase SET assessed_at = %s"
        " WHERE id = %s AND assessed_at IS NULL RETURNING id),"
        " assessed_event AS (INSERT INTO bids_event"
        " (case_id, kind, from_status, to_status, actor_id, note, at)"
        " SELECT id, %s, '', '', NULL, '', %s FROM assessed_case)",
        [at, case_id, Event.Kind.ASSESSED.value, at],
    )
