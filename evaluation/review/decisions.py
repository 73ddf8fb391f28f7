"""The decision on a business case, and its publication with the decision letter to the bidder."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bids import record, workflow
from bids.models import BusinessCase, Status
from evaluation.models import Decision


class DecisionError(Exception):
    """Why the decision cannot be recorded or published, for the officer."""


def decide(
    *,
    case: BusinessCase,
    by,
    outcome: str,
    reasons: str,
    ground: str = "",
    modification: str = "",
) -> Decision:
    """Records the decision and moves the case to decided. A rejection names its statutory
    ground; an acceptance with a modification says what was agreed with the bidder."""
    workflow.check_may(by, case, workflow.Action.DECIDE)
    if not reasons.strip():
        raise DecisionError("Give the reasons for the decision.")
    if outcome == Decision.Outcome.REJECTED and not ground:
        raise DecisionError("Choose the statutory ground on which the case is rejected.")
    if outcome == Decision.Outcome.ACCEPTED_WITH_MODIFICATION and not modification.strip():
        raise DecisionError("Say what modification was agreed with the bidder.")
    if outcome != Decision.Outcome.REJECTED and case.status != Status.MODERATION:
        raise DecisionError("A case is accepted only after moderation.")
    with transaction.atomic():
        workflow.check_may_move(by, case, Status.DECIDED)
        decision = Decision.objects.create(
            case=case,
            outcome=outcome,
            ground=ground if outcome == Decision.Outcome.REJECTED else "",
            modification=modification
            if outcome == Decision.Outcome.ACCEPTED_WITH_MODIFICATION
            else "",
            reasons=reasons,
            decided_by=by,
        )
        # The outcome goes on the case; the bidder hears it when the decision is published.
        workflow.move(case=case, to=Status.DECIDED, by=by, outcome=outcome)
    return decision


def asked_to_withhold_name(case: BusinessCase) -> bool:
    """Whether the bidder asked, in their declarations, that the public register not name
    them. A case submitted before the question existed did not ask."""
    try:
        declarations = record.values(case).get("declarations", {})
    except record.NotSubmitted:
        return False
    return bool(declarations.get("withhold_name"))


def publish(*, case: BusinessCase, by, withhold_name: bool = False) -> Decision:
    """Publishes the decision: the case's status says so and the bidder gets the decision letter
    by email and on their case page. `withhold_name` is the officer agreeing to the bidder's
    request that the public register and open data not name them; only a bidder who asked can
    have it (opendata/published.py applies it)."""
    workflow.check_may(by, case, workflow.Action.PUBLISH)
    decision = Decision.objects.filter(case=case).first()
    if decision is None:
        raise DecisionError("Record the decision before publishing it.")
    if withhold_name and not asked_to_withhold_name(case):
        raise DecisionError("The bidder did not ask for their name to be withheld.")
    with transaction.atomic():
        workflow.move(case=case, to=Status.PUBLISHED, by=by)
        Decision.objects.filter(pk=decision.pk).update(
            published_at=timezone.now(), published_by=by, bidder_name_withheld=withhold_name
        )
        case_id = case.pk
        transaction.on_commit(lambda: _send_letter(case_id))
    decision.refresh_from_db()
    return decision


def _send_letter(case_id: int) -> None:
    decision = Decision.objects.select_related("case__service", "case__organisation").get(
        case_id=case_id
    )
    case = decision.case
    recipients = sorted({u.email for u in case.organisation.members.filter(is_active=True)})
    send_mail(
        subject=f"Decision on business case {case.reference}: {case.service}",
        message=render_to_string(
            "evaluation/email/decision_letter.txt",
            {"decision": decision, "case": case, "site_name": settings.SERVICE_NAME},
        ),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )
