"""Signing up, in and out, and resetting a forgotten password.

Django's own auth views do the work; these subclasses give them GOV.UK templates and forms and,
because the URLs live in the `accounts` namespace, name every URL they redirect to explicitly
(Django's defaults, such as "password_reset_done", would not resolve).
"""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timeuntil
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView

from accounts import organisations
from accounts.forms import (
    EMAIL_TAKEN,
    JoinOrganisationForm,
    NewPasswordForm,
    OrganisationForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from accounts.roles import Role

# Named because two backends are configured: django-axes' only watches, this one signs people in.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def reset_link_lifetime() -> str:
    """How long a password reset link works, in words ("3 days"), for the e-mail and pages."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)


def safe_next(request, default: str) -> str:
    """Where `next` asks to go, if it is on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@method_decorator([sensitive_post_parameters("password1", "password2"), never_cache], "dispatch")
class SignUpView(FormView):
    """Creates a bidder's account and signs them in, then sends them on to `next` if it is ours."""

    form_class = SignUpForm
    template_name = "accounts/sign_up.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                user = form.save()
                user.groups.add(Group.objects.get(name=Role.BIDDER))
        except IntegrityError:
            # Two sign-ups for one address at the same moment: the form's check passed for
            # both and the database constraint refused the second.
            form.add_error("email", EMAIL_TAKEN)
            return self.form_invalid(form)
        login(self.request, user, backend=MODEL_BACKEND)
        messages.success(self.request, "Your account has been created and you are signed in")
        return redirect(self.get_success_url())

    def get_success_url(self):
        return safe_next(self.request, resolve_url("home"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.request.GET.get("next", "")}


class SignInView(auth_views.LoginView):
    """django-axes watches every attempt; after too many it answers with locked_out.html."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"


class SignOutView(auth_views.LogoutView):
    next_page = "home"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Added after logout() has flushed the session, so the message survives it.
        messages.success(request, "You have signed out")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self):
        return {"link_lifetime": reset_link_lifetime()}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_lifetime": reset_link_lifetime()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever set a password through the e-mailed link controls the mailbox, so a lockout
        # on the address has done its job: lift it, as the lockout page promises.
        axes_reset(username=self.user.email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Organisations -------------------------------------------------------------------------------


@login_required
def organisation(request):
    """The user's organisation, or the choice to create or join one."""
    org = request.user.organisation
    if org is None:
        return render(
            request, "accounts/organisation_choice.html", {"next": safe_next(request, "")}
        )
    return render(
        request,
        "accounts/organisation.html",
        {"organisation": org, "members": org.members.order_by("full_name")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if request.user.organisation_id:
        messages.info(request, f"You are already a member of {request.user.organisation}.")
        return redirect("accounts:organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = organisations.create(form=form, by=request.user)
        messages.success(request, f"{org.name} created. You can now start a business case.")
        return redirect(safe_next(request, reverse("accounts:organisation")))
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "creating": True, "next": safe_next(request, "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request):
    org = request.user.organisation
    if org is None:
        return redirect("accounts:organisation")
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Organisation details saved")
        return redirect("accounts:organisation")
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_join(request):
    if request.user.organisation_id:
        messages.info(request, f"You are already a member of {request.user.organisation}.")
        return redirect("accounts:organisation")
    form = JoinOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = organisations.join(organisation=form.organisation, by=request.user)
        messages.success(request, f"You have joined {org.name}")
        return redirect(safe_next(request, reverse("accounts:organisation")))
    return render(
        request, "accounts/organisation_join.html", {"form": form, "next": safe_next(request, "")}
    )


@login_required
@require_POST
def organisation_new_code(request):
    org = request.user.organisation
    if org is None:
        return redirect("accounts:organisation")
    organisations.renew_code(organisation=org)
    messages.success(request, "New joining code made: the old one no longer works")
    return redirect("accounts:organisation")
