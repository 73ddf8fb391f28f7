"""Navigation by role, computed once per request for the base template."""

from django.conf import settings
from django.urls import reverse

from accounts.roles import Role, may_use_members_area


def _items(user) -> list[tuple[str, str]]:
    items = [("Services", reverse("services:list"))]
    if not user.is_authenticated:
        items.append(("Sign in", reverse("accounts:sign-in")))
        items.append(("Create an account", reverse("accounts:sign-up")))
        return items
    if user.has_role(Role.BIDDER) or user.organisation_id:
        items.append(("Your business cases", reverse("bids:list")))
        items.append(("Your organisation", reverse("accounts:organisation")))
    if may_use_members_area(user):
        items.append(("Members' area", reverse("members:list")))
    if user.is_officer:
        items.append(("Officer admin", reverse("admin:index")))
    return items


def navigation(request):
    user = getattr(request, "user", None)
    items = _items(user) if user is not None else []
    path = request.path
    return {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "navigation": [
            {"label": label, "url": url, "active": url != "/" and path.startswith(url)}
            for label, url in items
        ],
    }
