"""Who may use the members' area: one decorator on every view (accounts.roles says who)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from accounts.roles import may_use_members_area


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
