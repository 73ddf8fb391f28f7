"""Account forms in GOV.UK style: a label, a hint where it helps, errors that say how to fix them.

Every form carries a crispy-forms-gds FormHelper. Templates render the GOV.UK error summary with
`{% error_summary form %}` above the page heading, and the form itself with `{% crispy form %}`.
E-mail addresses are stored lower-case (as `UserManager` does), so every form that takes one
lower-cases it, and uniqueness is checked without regard to case.
"""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.core.exceptions import ValidationError

from accounts.models import Organisation, User
from kcc_portal.fields import MoneyField, StripsControlCharacters

EMAIL_REQUIRED = "Enter your email address"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
# Only officers see this, in the admin: the public sign-up never says whether an address is taken.
EMAIL_TAKEN = (
    "An account with this email address already exists \N{EN DASH} sign in or reset your password"
)
UNCONFIRMED = (
    "You need to confirm your email address before you can sign in \N{EN DASH} open the link "
    "in the email we sent you"
)
MISMATCH_ERROR = "The passwords do not match \N{EN DASH} enter the same password twice"


def _password_hint() -> str:
    """The rules the configured password validators enforce, in one sentence for the hint."""
    min_length = next(
        (
            v.min_length
            for v in password_validation.get_default_password_validators()
            if isinstance(v, password_validation.MinimumLengthValidator)
        ),
        None,
    )
    rules = "It must not be a common password, all numbers or too like your email address."
    return f"Use at least {min_length} characters. {rules}" if min_length else rules


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    # The browser's own validation bubbles would pre-empt the GOV.UK error summary.
    helper.attrs = {"novalidate": True}
    return helper


def _email_field(field: forms.EmailField) -> None:
    field.label = "Email address"
    field.error_messages.update(required=EMAIL_REQUIRED, invalid=EMAIL_INVALID)
    field.widget = forms.EmailInput(
        attrs={"autocomplete": "email", "spellcheck": "false", "maxlength": 254}
    )


def _new_password_fields(form: forms.Form, first: str, second: str) -> None:
    form.fields[first].label = "Create a password"
    form.fields[first].help_text = _password_hint()
    form.fields[first].error_messages["required"] = "Enter a password"
    form.fields[second].label = "Confirm your password"
    form.fields[second].help_text = ""
    form.fields[second].error_messages["required"] = "Confirm your password"
    form.error_messages = {**form.error_messages, "password_mismatch": MISMATCH_ERROR}


class ErrorBorderMixin:
    """Gives e-mail and password inputs with an error GOV.UK's red error border.

    crispy-forms-gds 2.0.1 adds `govuk-input--error` only to TextInput, Select and Textarea
    widgets; it does merge classes set on the widget, so they are set here once the form is
    validated.
    """

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and isinstance(
                field.widget, forms.EmailInput | forms.PasswordInput
            ):
                field.widget.attrs["class"] = "govuk-input--error"


class UniqueEmailMixin:
    """Lower-cases the e-mail address and refuses one that differs from an account's only in case.

    The database has a unique constraint on lower(email) as the last line of defence; this gives
    the person a message they can act on instead.
    """

    duplicate_email_message = EMAIL_TAKEN

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(self.duplicate_email_message, code="unique")
        return email


class SignUpForm(StripsControlCharacters, ErrorBorderMixin, BaseUserCreationForm):
    """Checks what a person can fix (name, address format, password rules) and nothing else.

    Whether the address already has an account is deliberately not checked: saying so would tell
    anyone which addresses have accounts. accounts/registration.py deals with it by email.
    """

    class Meta:
        model = User
        fields = ("full_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        full_name = self.fields["full_name"]
        full_name.label = "Full name"
        full_name.error_messages["required"] = "Enter your full name"
        full_name.widget.attrs.update(autocomplete="name", spellcheck="false")
        _email_field(self.fields["email"])
        _new_password_fields(self, "password1", "password2")
        self.helper = _helper(
            Field.text("full_name"),
            Field.text("email"),
            Field.text("password1"),
            Field.text("password2"),
            submit="Create account",
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def _get_validation_exclusions(self):
        # Leaves the address out of the model's unique checks (the field and the lower(email)
        # constraint), which would say "already exists". The form field has checked its format.
        return {*super()._get_validation_exclusions(), "email"}


class SignInForm(StripsControlCharacters, ErrorBorderMixin, AuthenticationForm):
    """The e-mail field is named `username` because django-axes counts failures by that field."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "Email address"
        username.error_messages["required"] = EMAIL_REQUIRED
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "maxlength": 254}
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = _helper(Field.text("username"), Field.text("password"), submit="Sign in")

    def clean_username(self):
        # Lower-cased before authenticate() sees it, so that django-axes counts "Bea@x" and
        # "bea@x" as the same address: changing the case must not buy more guesses.
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self._awaiting_confirmation():
                raise ValidationError(UNCONFIRMED, code="unconfirmed") from None
            raise

    def _awaiting_confirmation(self) -> bool:
        """Whether the sign-in failed only because the address is not yet confirmed.

        Said only to someone who typed the right password, so it tells nobody else that the
        address has an account. The password is hashed whether or not such an account exists, so
        that the time taken does not tell either.
        """
        if getattr(self.request, "axes_locked_out", False):
            return False  # django-axes answers with its lockout page instead
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return False
        pending = User.objects.filter(email__iexact=username, awaiting_confirmation=True).first()
        if pending is None:
            User().set_password(password)
            return False
        return pending.check_password(password)


class ResetPasswordForm(StripsControlCharacters, ErrorBorderMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(self.fields["email"])
        self.fields["email"].help_text = "The address you used to create your account."
        self.helper = _helper(Field.text("email"), submit="Send reset link")


class ResendConfirmationForm(ErrorBorderMixin, forms.Form):
    email = forms.EmailField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(self.fields["email"])
        self.fields["email"].help_text = "The address you used to create your account."
        self.helper = _helper(Field.text("email"), submit="Send the email again")


class NewPasswordForm(ErrorBorderMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _new_password_fields(self, "new_password1", "new_password2")
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm your new password"
        self.helper = _helper(
            Field.text("new_password1"), Field.text("new_password2"), submit="Change password"
        )


# --- Admin -------------------------------------------------------------------------------------


class AdminUserAddForm(StripsControlCharacters, UniqueEmailMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class AdminUserChangeForm(StripsControlCharacters, UniqueEmailMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


# --- Organisations -------------------------------------------------------------------------------


class OrganisationForm(StripsControlCharacters, forms.ModelForm):
    """An organisation's details, including the financial standing a bid must show."""

    annual_turnover = MoneyField(
        label="Yearly turnover",
        help_text="From your latest accounts. Enter 0 for a new organisation.",
    )
    reserves = MoneyField(
        label="Reserves", help_text="Unrestricted reserves or net assets from your latest accounts."
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "body_type",
            "registration_number",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "district",
            "annual_turnover",
            "reserves",
        ]
        labels = {
            "name": "Name of the organisation",
            "body_type": "What kind of body is it?",
            "registration_number": "Company or charity number",
            "district": "Kent district (optional)",
        }
        help_texts = {
            "registration_number": "From Companies House or the Charity Commission. Leave it "
            "empty if the body is not registered.",
            "district": "Where the organisation is based, if it is in Kent.",
        }
        widgets = {"body_type": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the name of the organisation"},
            "body_type": {"required": "Select what kind of body it is"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_type"].choices = Organisation.BodyType.choices
        self.fields["district"].empty_label = "Not in Kent, or not one district"
        for name in ("address_line_1", "town", "postcode"):
            self.fields[name].required = True
        self.fields["address_line_1"].error_messages["required"] = (
            "Enter the first line of the address"
        )
        self.fields["town"].error_messages["required"] = "Enter the town or city"
        self.fields["postcode"].error_messages["required"] = "Enter the postcode"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("body_type", legend_size=Size.MEDIUM),
            Field.text("registration_number", field_width=10),
            Fieldset(
                Field.text("address_line_1", label_size=None),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                Field.select("district"),
                legend="Address",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field(
                    "annual_turnover",
                    template="forms/money.html",
                    css_class="govuk-input--width-10",
                ),
                Field("reserves", template="forms/money.html", css_class="govuk-input--width-10"),
                legend="Financial standing",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"].strip().upper().replace(" ", "")
        if number and not re.fullmatch(r"[A-Z]{0,2}[0-9]{5,8}(-[0-9]{1,2})?", number):
            raise forms.ValidationError(
                "Enter a company or charity number in the correct format, like 01234567, "
                "SC123456 or 1123456"
            )
        return number

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip().upper()
        compact = postcode.replace(" ", "")
        if not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}", compact):
            raise forms.ValidationError("Enter a real postcode, like ME14 1XQ")
        return f"{compact[:-3]} {compact[-3:]}"

    def clean(self):
        data = super().clean()
        if data.get("body_type") == Organisation.BodyType.PRIVATE_COMPANY and not data.get(
            "registration_number"
        ):
            self.add_error("registration_number", "Enter the company number")
        return data


class JoinOrganisationForm(StripsControlCharacters, forms.Form):
    join_code = forms.CharField(
        label="Joining code",
        help_text="Ask a colleague who is already a member: it is on their organisation page.",
        max_length=16,
        error_messages={"required": "Enter the joining code"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("join_code", field_width=10))

    def clean_join_code(self):
        code = self.cleaned_data["join_code"].strip().upper().replace(" ", "").replace("-", "")
        organisation = Organisation.objects.filter(join_code=code).first()
        if organisation is None:
            raise forms.ValidationError(
                "There is no organisation with that joining code: check it with your colleague"
            )
        self.organisation = organisation
        return code
