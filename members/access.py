"""Who may use the members' area: one decorator on every view (accounts.roles says who). The
pipeline dashboard is open to officers too: its own decorator says which."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from accounts.roles import may_use_members_area
from evaluation.review.access import reads_every_case


def may_see_pipeline(user) -> bool:
    """Members and administrators, and the officers who read every case (commissioning officers
    and moderators: evaluation.review.access.READ_ALL). Not reviewers: they read only the cases
    assigned to them, and the dashboard counts every case."""
    return may_use_members_area(user) or reads_every_case(user)


def members_only(view):
    """Elected members and administrators pass. Anyone signed in without the role gets 403 with
    a page that says whom to ask; anonymous visitors are sent to sign in and brought back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_use_members_area(request.user):
            return render(request, "members/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def pipeline_readers_only(view):
    """As `members_only`, for the pipeline dashboard: see `may_see_pipeline`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_see_pipeline(request.user):
            return render(request, "members/forbidden_pipeline.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
