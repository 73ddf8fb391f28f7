"""Creating and joining organisations: a user belongs to at most one, and sees its cases."""

from django.db import transaction

from accounts.models import Organisation, User, new_join_code


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
    by.organisation = organisation
    return organisation


def join(*, organisation: Organisation, by: User) -> Organisation:
    if by.organisation_id is not None:
        raise OrganisationError(f"You are already a member of {by.organisation}.")
    User.objects.filter(pk=by.pk).update(organisation=organisation)
    by.organisation = organisation
    return organisation


def renew_code(*, organisation: Organisation) -> str:
    """A new joining code, so that the old one (perhaps shared too widely) stops working."""
    organisation.join_code = new_join_code()
    organisation.save(update_fields=["join_code"])
    return organisation.join_code
