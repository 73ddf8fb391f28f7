"""Roles are Django groups. This module is the one place that names them and says what each may do.

Officers (reviewers, commissioning officers, moderators, admins) work in the Django admin, so their
accounts are staff; bidders and elected members never are.
"""

from django.db import models


class Role(models.TextChoices):
    BIDDER = "Bidder", "Bidder"
    REVIEWER = "Reviewer", "Reviewer"
    COMMISSIONING_OFFICER = "Commissioning officer", "Commissioning officer"
    MODERATOR = "Moderator", "Moderator"
    MEMBER = "Member", "Elected member"
    ADMIN = "Admin", "Administrator"


OFFICER_ROLES = frozenset({Role.REVIEWER, Role.COMMISSIONING_OFFICER, Role.MODERATOR, Role.ADMIN})

# The members' area (members/) is for elected members, and for administrators who support them.
# Officers who run cases do not need it: they have the admin, which shows them far more.
MEMBERS_AREA_ROLES = frozenset({Role.MEMBER, Role.ADMIN})


def may_use_members_area(user) -> bool:
    """Whether `user` may enter the members' area; superusers count as administrators. Inactive
    or anonymous: no."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(user.roles & MEMBERS_AREA_ROLES)


# Model permissions each role's group holds, as "app_label.codename". Issues that add models add
# their permissions here; sync_roles applies them after every migrate.
_CATALOGUE_VIEW = {"services.view_service", "services.view_directorate", "services.view_district"}
_CASES_VIEW = {
    "bids.view_businesscase",
    "bids.view_clarification",
    "bids.view_document",
    "bids.view_event",
    "evaluation.view_assessment",
    "evaluation.view_framework",
    "evaluation.view_criterion",
    "evaluation.view_assignment",
}

PERMISSIONS: dict[str, set[str]] = {
    Role.BIDDER: set(),
    Role.MEMBER: set(),
    # Reviewers read the cases they are cleared to review (evaluation.review.access narrows the
    # lists) and ask bidders clarification questions; not the organisations, since a review may
    # be blind.
    Role.REVIEWER: _CATALOGUE_VIEW | _CASES_VIEW | {"bids.add_clarification"},
    # Commissioning officers run the catalogue, move cases along the workflow and own the
    # criteria frameworks.
    Role.COMMISSIONING_OFFICER: _CATALOGUE_VIEW
    | _CASES_VIEW
    | {
        "services.add_service",
        "services.change_service",
        "services.add_directorate",
        "services.change_directorate",
        "bids.change_businesscase",
        "bids.add_clarification",
        "evaluation.add_framework",
        "evaluation.change_framework",
        "evaluation.add_criterion",
        "evaluation.change_criterion",
        "evaluation.delete_criterion",
        "accounts.view_organisation",
    },
    Role.MODERATOR: _CATALOGUE_VIEW
    | _CASES_VIEW
    | {"accounts.view_organisation", "bids.add_clarification"},
    # Admins are superusers in practice; the group still says what the role is.
    Role.ADMIN: set(),
}


def sync_roles(**kwargs) -> None:
    """Creates each role's group and gives it exactly the permissions listed above.

    Connected to post_migrate, so that every database (including each test database) has the
    roles once migrated. Idempotent.
    """
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = PERMISSIONS[role]
        perms = [
            p
            for p in Permission.objects.select_related("content_type").filter(
                content_type__app_label__in={w.split(".")[0] for w in wanted}
            )
            if f"{p.content_type.app_label}.{p.codename}" in wanted
        ]
        group.permissions.set(perms)
