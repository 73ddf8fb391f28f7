"""Creating, joining and leaving organisations: a user belongs to at most one, and sees its cases.

Membership is the whole of a bidder's access to an organisation's business cases
(`BusinessCase.objects.visible_to` reads `user.organisation_id` on every request), so removing a
member takes their access away at once. The joining code only lets people in: a new code stops
the old one working for anyone who has not joined yet, and removes nobody who already has.

Each change is written to the organisation's history in the admin (Django's LogEntry, the
"History" page officers already use), with who did it, and to the log.
"""

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction

from accounts.models import Organisation, User, new_join_code

logger = logging.getLogger(__name__)


class OrganisationError(Exception):
    pass


def create(*, form, by: User) -> Organisation:
    """Saves a valid OrganisationForm as a new organisation with `by` as its first member."""
    if by.organisation_id is not None:
        raise OrganisationError(f"You are already a member of {by.organisation}.")
    with transaction.atomic():
        organisation = form.save(commit=False)
        organisation.created_by = by
        organisation.save()
        User.objects.filter(pk=by.pk).update(organisation=organisation)
        _record(organisation, "created", by=by, what=f"{_who(by)} set up the organisation")
    by.organisation = organisation
    return organisation


def join(*, organisation: Organisation, by: User) -> Organisation:
    if by.organisation_id is not None:
        raise OrganisationError(f"You are already a member of {by.organisation}.")
    with transaction.atomic():
        User.objects.filter(pk=by.pk).update(organisation=organisation)
        _record(organisation, "joined", by=by, what=f"{_who(by)} joined with the joining code")
    by.organisation = organisation
    return organisation


def renew_code(*, organisation: Organisation, by: User) -> str:
    """A new joining code, so that the old one (perhaps shared too widely) stops letting people
    in. Nobody who already joined is removed: that is remove_member's job."""
    with transaction.atomic():
        organisation.join_code = new_join_code()
        organisation.save(update_fields=["join_code"])
        _record(organisation, "new code", by=by, what=f"{_who(by)} made a new joining code")
    return organisation.join_code


def remove_member(*, organisation: Organisation, member: User, by: User) -> None:
    """Takes `member` out of `organisation`, and with it their access to its business cases.

    `by` must be a member of the same organisation; `member` may be `by` (leaving). The last
    member cannot go: the organisation's cases would be left with nobody to answer for them.
    The organisation's row is locked first, so two members removing each other at the same
    moment cannot leave it empty.
    """
    leaving = member.pk == by.pk
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        members = User.objects.filter(organisation=organisation)
        if not members.filter(pk=by.pk).exists():
            raise OrganisationError(f"You are not a member of {organisation}.")
        if not members.filter(pk=member.pk).exists():
            raise OrganisationError(f"{member.full_name} is no longer a member of {organisation}.")
        if members.count() == 1:
            raise OrganisationError(
                f"You cannot leave {organisation} because you are its only member. Invite a "
                "colleague first."
            )
        members.filter(pk=member.pk).update(organisation=None)
        if leaving:
            _record(organisation, "left", by=by, what=f"{_who(by)} left the organisation")
        else:
            what = f"{_who(by)} removed {_who(member)} from the organisation"
            _record(organisation, f"removed user {member.pk}", by=by, what=what)
    member.organisation = None


def _who(user: User) -> str:
    return f"{user.full_name} ({user.email})"


def _record(organisation: Organisation, event: str, *, by: User, what: str) -> None:
    """`what` goes to the admin history, in words; the log gets ids only, no names or emails."""
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[organisation],
        action_flag=CHANGE,
        change_message=what,
        single_object=True,
    )
    logger.info("Organisation %s: %s, by user %s", organisation.pk, event, by.pk)
