"""Reviewers: assigned by a commissioning officer, and kept from a case until they have declared
their interests. A declared interest recuses them and tells the officer who assigned them."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from bids import workflow
from bids.models import BusinessCase, Event
from evaluation.models import Assignment


class AssignmentError(Exception):
    """Why a reviewer cannot be assigned, or cannot declare, in words for the officer."""


def assign(*, case: BusinessCase, reviewer, by) -> Assignment:
    """Assigns `reviewer` to `case` and emails them a link to declare their interests."""
    workflow.check_may(by, case, workflow.Action.ASSIGN)
    if not (reviewer.is_active and reviewer.has_role(Role.REVIEWER)):
        raise AssignmentError(f"{reviewer} is not a reviewer.")
    if reviewer.pk == by.pk:
        raise AssignmentError("Assign someone else: the officer running a case does not review it.")
    if reviewer.works_in_id is not None and reviewer.works_in_id == case.service_id:
        raise AssignmentError(
            f"{reviewer} works in {case.service}, the service under challenge, so cannot review "
            "a bid for it."
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(case=case, reviewer=reviewer, assigned_by=by)
            Event.objects.create(case=case, kind=Event.Kind.ASSIGNED, actor=by, note=str(reviewer))
    except IntegrityError:
        raise AssignmentError(f"{reviewer} is already assigned to this case.") from None
    transaction.on_commit(lambda: _mail_assigned(assignment.pk))
    return assignment


def declare(*, assignment: Assignment, by, has_interest: bool, interest: str = "") -> Assignment:
    """The reviewer's declaration, once: no interest clears them to read and review the case; an
    interest recuses them and the assigning officer is told."""
    if by.pk != assignment.reviewer_id:
        raise AssignmentError("Only the reviewer assigned can declare their interests.")
    if has_interest and not interest.strip():
        raise AssignmentError("Describe the interest you are declaring.")
    with transaction.atomic():
        declared = Assignment.objects.filter(pk=assignment.pk, has_interest__isnull=True).update(
            has_interest=has_interest,
            interest=interest.strip() if has_interest else "",
            declared_at=timezone.now(),
        )
        if declared != 1:
            raise AssignmentError("You have already declared your interests for this case.")
        Event.objects.create(
            case_id=assignment.case_id,
            kind=Event.Kind.DECLARED,
            actor=by,
            note="Declared an interest: recused" if has_interest else "Declared no interest",
        )
        if has_interest:
            pk = assignment.pk
            transaction.on_commit(lambda: _mail_recused(pk))
    assignment.refresh_from_db()
    return assignment


def _admin_link(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _mail(assignment: Assignment, *, to: str, subject: str, template: str, link: str) -> None:
    send_mail(
        subject=subject,
        message=render_to_string(template, {"assignment": assignment, "link": link}),
        from_email=None,
        recipient_list=[to],
        fail_silently=True,  # the assignment stands; the officer sees it on the case page
    )


def _mail_assigned(assignment_id: int) -> None:
    assignment = Assignment.objects.select_related("case__service", "reviewer", "assigned_by").get(
        pk=assignment_id
    )
    _mail(
        assignment,
        to=assignment.reviewer.email,
        subject=f"Please review {assignment.case.reference}: {assignment.case.service}",
        template="evaluation/email/assigned.txt",
        link=_admin_link("admin:evaluation_assignment_change", assignment.pk),
    )


def _mail_recused(assignment_id: int) -> None:
    assignment = Assignment.objects.select_related("case__service", "reviewer", "assigned_by").get(
        pk=assignment_id
    )
    _mail(
        assignment,
        to=assignment.assigned_by.email,
        subject=f"{assignment.reviewer} declared an interest in {assignment.case.reference}",
        template="evaluation/email/recused.txt",
        link=_admin_link("admin:bids_businesscase_change", assignment.case_id),
    )
