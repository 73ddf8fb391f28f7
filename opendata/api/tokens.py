"""API tokens (DRF's rest_framework.authtoken): one per officer, issued and revoked by
`manage.py api_token`. A token is only as good as its holder's role: the permission is checked
on every request (opendata.api.permissions), so an officer who loses the role, or whose account is
deactivated, is refused at once, token or not."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from bids import workflow


class TokenError(Exception):
    """Why no token can be issued, for the person running the command."""


def may_hold_token(user) -> bool:
    """Officers whose role reads business cases: the only ones the API gives more to."""
    return bool(workflow.officer_roles(user) & workflow.MAY_ACT[workflow.Action.READ])


def issue(*, user) -> Token:
    """A new token for `user`, replacing any they had (so issuing again is how a leaked token is
    rotated)."""
    if not may_hold_token(user):
        raise TokenError(f"{user.email} is not an officer who reads business cases.")
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def revoke(*, user) -> bool:
    """Deletes `user`'s token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
