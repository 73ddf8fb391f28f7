"""Questions officers ask about a submitted business case, and the bidder's answers: both kept on
the case's record and its timeline."""

from django.db import transaction
from django.utils import timezone

from bids import workflow
from bids.models import BusinessCase, Clarification, Event


class ClarificationError(Exception):
    pass


def check_can_ask(case: BusinessCase, by=None) -> None:
    """Refuses a question about a case that is not under consideration, or from someone whose
    role may not ask (bids.workflow.MAY_ACT)."""
    if by is not None and not workflow.may(by, case, workflow.Action.ASK):
        raise ClarificationError("Only officers working on business cases can ask questions.")
    if case.status not in workflow.UNDER_CONSIDERATION:
        raise ClarificationError(
            f"Questions can only be asked about a case under consideration, not one that is "
            f"{case.get_status_display().lower()}."
        )


def ask(*, case: BusinessCase, question: str, by) -> Clarification:
    check_can_ask(case, by)
    with transaction.atomic():
        clarification = Clarification.objects.create(case=case, question=question, asked_by=by)
        Event.objects.create(case=case, kind=Event.Kind.QUESTION_ASKED, actor=by, note=question)
    return clarification


def answer(*, clarification: Clarification, text: str, by) -> Clarification:
    if not workflow.may(by, clarification.case, workflow.Action.ANSWER):
        raise ClarificationError("Only the organisation that made the bid can answer.")
    with transaction.atomic():
        # Guarded: an answer, once sent, is on the record and is not overwritten.
        answered = Clarification.objects.filter(pk=clarification.pk, answered_at=None).update(
            answer=text, answered_by=by, answered_at=timezone.now()
        )
        if answered != 1:
            raise ClarificationError("This question has already been answered.")
        Event.objects.create(
            case=clarification.case, kind=Event.Kind.QUESTION_ANSWERED, actor=by, note=text
        )
    clarification.refresh_from_db()
    return clarification
