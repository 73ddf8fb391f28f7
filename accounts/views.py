"""Signing up, in and out, and resetting a forgotten password.

Django's own auth views do the work; these subclasses give them GOV.UK templates and forms and,
because the URLs live in the `accounts` namespace, name every URL they redirect to explicitly
(Django's defaults, such as "password_reset_done", would not resolve). Signing up and confirming
an address are in accounts/registration.py; organisations in accounts/organisations.py.
"""

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView

from accounts import organisations, registration
from accounts.forms import (
    JoinOrganisationForm,
    NewPasswordForm,
    OrganisationForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from kcc_portal import ratelimits
from kcc_portal.text import removed_message

# Named because two backends are configured: django-axes' only watches, this one signs people in.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The address last signed up with, shown on the "check your email" page that follows.
SIGNED_UP_EMAIL = "accounts:signed-up-email"


def base_url(request) -> str:
    """The site's own address, for links in emails: "https://righttobid.kent.gov.uk"."""
    return f"{request.scheme}://{request.get_host()}"


def safe_next(request, default: str) -> str:
    """Where `next` asks to go, if it is on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@method_decorator([sensitive_post_parameters("password1", "password2"), never_cache], "dispatch")
@method_decorator(ratelimits.limit("sign-up"), "post")
class SignUpView(FormView):
    """Answers every valid sign-up the same way, "check your email": see accounts/registration.py.
    Nobody is signed in until they follow the emailed link."""

    form_class = SignUpForm
    template_name = "accounts/sign_up.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        registration.sign_up(
            form=form, base_url=base_url(self.request), next_url=safe_next(self.request, "")
        )
        self.request.session[SIGNED_UP_EMAIL] = form.cleaned_data["email"]
        return redirect("accounts:sign-up-done")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.request.GET.get("next", "")}


def sign_up_done(request):
    return render(
        request,
        "accounts/check_email.html",
        {
            "email": request.session.get(SIGNED_UP_EMAIL),
            "link_lifetime": registration.link_lifetime(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, uidb64, token):
    """The emailed link. Opening it shows a button; pressing the button confirms the address and
    signs the person in. Not confirmed on opening: mail scanners open links too, and would use
    the link up before its owner got to it."""
    user = registration.account_for_link(uidb64, token)
    if user is None:
        return render(request, "accounts/confirm.html", {"validlink": False})
    if request.method == "POST":
        # Where there is no page to go on to, a new bidder's next step: nothing can be started
        # without an organisation. One banner says both.
        first_steps = user.organisation_id is None and not safe_next(request, "")
        if registration.confirm(user=user):
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                "Your email address is confirmed and you are signed in"
                + (
                    ". Next, set up your organisation or join one: you need one before you can "
                    "start a business case"
                    if first_steps
                    else ""
                ),
            )
        if first_steps:
            return redirect("accounts:organisation")
        return redirect(safe_next(request, resolve_url("home")))
    return render(
        request,
        "accounts/confirm.html",
        {"validlink": True, "confirming": user, "next": safe_next(request, "")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimits.limit("confirmation-email")
def resend_confirmation(request):
    """Sends a new confirmation link if the address has an account awaiting one; says the same
    either way, so the page tells nobody whether it has."""
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration.resend(email=form.cleaned_data["email"], base_url=base_url(request))
        return redirect("accounts:confirm-resent")
    return render(request, "accounts/confirm_resend.html", {"form": form})


def confirm_resent(request):
    return render(
        request,
        "accounts/check_email.html",
        {"resent": True, "link_lifetime": registration.link_lifetime()},
    )


class SignInView(auth_views.LoginView):
    """django-axes watches every attempt; after too many it answers with locked_out.html."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["unconfirmed"] = form.is_bound and form.has_error("__all__", "unconfirmed")
        return context


class SignOutView(auth_views.LogoutView):
    next_page = "home"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Added after logout() has flushed the session, so the message survives it.
        messages.success(request, "You have signed out")
        return response


@method_decorator(ratelimits.limit("password-reset"), "post")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self):
        return {"link_lifetime": registration.link_lifetime()}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_lifetime": registration.link_lifetime()}


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


def _tell_if_removed(request, form) -> None:
    if form.control_characters_removed:
        messages.warning(request, removed_message(form.control_characters_removed))


MEMBERS_PAGE_SIZE = 50


@login_required
def organisation(request):
    """The user's organisation, or the choice to create or join one."""
    org = request.user.organisation
    if org is None:
        return render(
            request, "accounts/organisation_choice.html", {"next": safe_next(request, "")}
        )
    page = Paginator(org.members.order_by("full_name", "pk"), MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": org,
            "members": page.object_list,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
        },
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
        _tell_if_removed(request, form)
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
        _tell_if_removed(request, form)
        messages.success(request, "Organisation details saved")
        return redirect("accounts:organisation")
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
@ratelimits.limit("join-organisation")
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
    organisations.renew_code(organisation=org, by=request.user)
    messages.success(
        request,
        "New joining code made: the old one no longer works. Everyone who joined with it is "
        "still a member until you remove them",
    )
    return redirect("accounts:organisation")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_member_remove(request, user_id):
    """Removing a colleague, or leaving: a confirmation page, then a POST that does it.
    Anyone outside the user's own organisation is not found, whoever asks."""
    org = request.user.organisation
    if org is None:
        raise Http404("You are not a member of an organisation")
    member = get_object_or_404(org.members, pk=user_id)
    leaving = member.pk == request.user.pk
    if request.method == "POST":
        try:
            organisations.remove_member(organisation=org, member=member, by=request.user)
        except organisations.OrganisationError as e:
            messages.error(request, str(e))
            return redirect("accounts:organisation")
        if leaving:
            messages.success(request, f"You have left {org.name}")
        else:
            messages.success(request, f"{member.full_name} has been removed from {org.name}")
        return redirect("accounts:organisation")
    return render(
        request,
        "accounts/organisation_member_remove.html",
        {
            "organisation": org,
            "member": member,
            "leaving": leaving,
            "last_member": org.members.count() == 1,
        },
    )
