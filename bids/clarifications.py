"""Questions officers ask about a submitted business case, and the bidder's answers: both kept on
the case's record and its timeline."""

from django.db import transaction
from django.utils import timezone

from bids.models import BusinessCase, Clarification, Event, Status


class ClarificationError(Exception):
    pass


def check_can_ask(case: BusinessCase) -> None:
    if case.status in {Status.DRAFT, Status.WITHDRAWN, Status.DECIDED, Status.PUBLISHED}:
        raise ClarificationError(
            f"Questions can only be asked about a case under consideration, not one that is "
            f"{case.get_status_display().lower()}."
        )


def ask(*, case: BusinessCase, question: str, by) -> Clarification:
    check_can_ask(case)
    with transaction.atomic():
        clarification = Clarification.objects.create(case=case, question=question, asked_by=by)
        Event.objects.create(case=case, kind=Event.Kind.QUESTION_ASKED, actor=by, note=question)
    return clarification


def answer(*, clarification: Clarification, text: str, by) -> Clarification:
    if by.organisation_id != clarification.case.organisation_id:
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
