"""Creating an account without telling anyone which email addresses already have one.

Sign-up answers "check your email" whatever was entered, and the email says what happened:
- a new address gets an inactive account, awaiting confirmation, and a link that confirms it;
- an address whose account is still awaiting confirmation gets the new name and password (the
  latest sign-up wins, so someone who signed up first with another person's address cannot keep
  the account) and a fresh link; the older link stops working, as the password it was made for
  has changed;
- an address with an account gets an email telling its owner that someone tried to create one,
  with links to sign in and to reset the password, and nothing else changes;
- an account an officer deactivated gets nothing: no email may switch it back on.
Each path hashes the password once (the form does it before the address is looked at), writes to
the database and sends at most one email, so none takes noticeably longer than another.

The confirmation link is signed like Django's password reset links: it carries the account's id
and a time-limited token over the account's state, so it works once (confirming changes that
state) and for PASSWORD_RESET_TIMEOUT.
"""

import logging
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.timesince import timeuntil

from accounts.models import User
from accounts.roles import Role

logger = logging.getLogger(__name__)


class ConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.registration.ConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # Confirming changes is_active and awaiting_confirmation, and signing up again changes
        # the password, so a link stops working once used or once a newer one is sent.
        return (
            f"{user.pk}{user.password}{user.is_active}{user.awaiting_confirmation}"
            f"{user.email}{timestamp}"
        )


confirmation_tokens = ConfirmationTokenGenerator()


def link_lifetime() -> str:
    """How long an emailed link (confirmation or password reset) works, in words ("3 days")."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)


def sign_up(*, form, base_url: str, next_url: str = "") -> None:
    """Acts on a valid SignUpForm as the module docstring says; emails after the commit.

    `base_url` is the site's address ("https://host"), for the links in the email; `next_url`
    (already checked to be on this site) is where the confirmation link sends the person on to.
    """
    candidate = form.save(commit=False)  # hashes the password, whatever happens next
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=candidate.email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    candidate.is_active = False
                    candidate.awaiting_confirmation = True
                    candidate.save()
                    candidate.groups.add(Group.objects.get(name=Role.BIDDER))
            except IntegrityError:
                # Another sign-up for this address committed a moment ago.
                existing = User.objects.select_for_update().get(email__iexact=candidate.email)
            else:
                _after_commit(_send_confirmation, candidate.pk, base_url, next_url)
                return
        if existing.awaiting_confirmation:
            existing.full_name = candidate.full_name
            existing.password = candidate.password
            existing.save(update_fields=["full_name", "password"])
            _after_commit(_send_confirmation, existing.pk, base_url, next_url)
        elif existing.is_active:
            _after_commit(_send_account_exists, existing.pk, base_url)
        else:
            logger.info("Sign-up for deactivated account %s: no email sent", existing.pk)


def resend(*, email: str, base_url: str) -> None:
    """A new confirmation link for an account awaiting one; for any other address, nothing.
    The page that asks for it says the same either way."""
    user = User.objects.filter(email__iexact=email.strip(), awaiting_confirmation=True).first()
    if user is not None:
        _send_confirmation(user.pk, base_url, "")


def account_for_link(uidb64: str, token: str) -> User | None:
    """The account a confirmation link is for, if the link is genuine, unused and in date."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.filter(pk=pk, awaiting_confirmation=True).first()
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None
    if user is None or not confirmation_tokens.check_token(user, token):
        return None
    return user


def confirm(*, user: User) -> bool:
    """Switches the account on. A guarded update, so that two clicks confirm it once: returns
    False if it was no longer awaiting confirmation."""
    confirmed = User.objects.filter(pk=user.pk, awaiting_confirmation=True).update(
        is_active=True, awaiting_confirmation=False
    )
    if confirmed:
        user.refresh_from_db()
        logger.info("Account %s confirmed its email address", user.pk)
    return bool(confirmed)


def _after_commit(send, *args) -> None:
    # The email names an account: send it only once that account is saved for good.
    transaction.on_commit(lambda: send(*args))


def _send_confirmation(user_id: int, base_url: str, next_url: str) -> None:
    user = User.objects.get(pk=user_id)
    path = reverse(
        "accounts:confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": confirmation_tokens.make_token(user),
        },
    )
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    context = {"user": user, "link": f"{base_url}{path}{query}", "lifetime": link_lifetime()}
    send_mail(
        "Confirm your email address for Kent right to bid",
        render_to_string("accounts/email/confirm.txt", context),
        None,
        [user.email],
    )


def _send_account_exists(user_id: int, base_url: str) -> None:
    user = User.objects.get(pk=user_id)
    context = {
        "user": user,
        "sign_in": f"{base_url}{reverse('accounts:sign-in')}",
        "reset": f"{base_url}{reverse('accounts:password-reset')}",
    }
    send_mail(
        "Someone tried to create a Kent right to bid account with your email address",
        render_to_string("accounts/email/account_exists.txt", context),
        None,
        [user.email],
    )
