"""Questions officers ask about a submitted business case, and the bidder's answers: both kept on
the case's record and its timeline."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
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
    if case.status not in workflow.OPEN_IN[workflow.Action.ASK]:
        raise ClarificationError(
            f"Questions can only be asked about a case under consideration, not one that is "
            f"{case.get_status_display().lower()}."
        )


def ask(*, case: BusinessCase, question: str, by) -> Clarification:
    """Puts the question on the case and emails the organisation's members a link to answer."""
    check_can_ask(case, by)
    with transaction.atomic():
        clarification = Clarification.objects.create(case=case, question=question, asked_by=by)
        Event.objects.create(case=case, kind=Event.Kind.QUESTION_ASKED, actor=by, note=question)
        transaction.on_commit(lambda: _mail_question(clarification.pk))
    return clarification


def _mail_question(clarification_id: int) -> None:
    clarification = Clarification.objects.select_related("case__service").get(pk=clarification_id)
    case = clarification.case
    recipients = sorted({u.email for u in case.organisation.members.filter(is_active=True)})
    link = settings.SITE_URL + reverse(
        "bids:clarification", kwargs={"public_id": case.public_id, "pk": clarification.pk}
    )
    send_mail(
        subject=f"A question about business case {case.reference}: {case.service}",
        message=render_to_string(
            "bids/email/clarification.txt",
            {"case": case, "clarification": clarification, "link": link},
        ),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,  # the question stands on the case page even if the mail is lost
    )


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
