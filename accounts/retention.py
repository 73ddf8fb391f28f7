"""Anonymising accounts and organisations nobody uses any more, and forgetting old sign-ins.

UK GDPR storage limitation (the reasons and periods are beside ACCOUNT_RETENTION_DAYS in
settings.py). An account is never deleted, because business cases, documents and timelines point
at it: it becomes an empty shell instead (an address that cannot receive mail, no name, no
password, inactive, in no organisation and holding no role), so every record that mentions it now
names nobody. The same goes for an organisation: its row stays, what identifies it goes.

accounts knows nothing of business cases (bids depends on accounts, not the other way): the caller
says which organisations must keep their members (bids/retention.py: those with a case under
consideration) and which organisations are ready to be anonymised.
"""

import datetime
from dataclasses import dataclass
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower

from accounts.models import Organisation, User, new_join_code

ANONYMISED_NAME = "Anonymised user"
# RFC 2606 reserves the .invalid top-level domain: mail to it can never be delivered. A dotted
# domain rather than plain "@invalid", so that the address still passes Django's EmailValidator
# and an officer can save the user in the admin.
ANONYMISED_DOMAIN = "anonymised.invalid"
ANONYMISED_ORGANISATION = "Anonymised organisation"
# django-axes' records of sign-ins: each holds the email address typed and the IP address used.
SIGN_IN_RECORDS = (AccessAttempt, AccessLog, AccessFailureLog)


def anonymised_email(user_id: int) -> str:
    """Unique (the user's id) and undeliverable."""
    return f"anonymised-{user_id}@{ANONYMISED_DOMAIN}"


def anonymised_organisation_name(organisation_id: int) -> str:
    return f"{ANONYMISED_ORGANISATION} {organisation_id}"


def cutoff(now: datetime.datetime) -> datetime.datetime:
    """Accounts last used before this are unused."""
    return now - datetime.timedelta(days=settings.ACCOUNT_RETENTION_DAYS)


def _with_last_used(users):
    # Signing in is what "using" an account means; an account never signed in to counts from
    # the day it was made.
    return users.alias(last_used=Coalesce("last_login", "date_joined"))


def not_anonymised(users=None):
    users = User.objects.all() if users is None else users
    return users.exclude(email__iendswith=f"@{ANONYMISED_DOMAIN}")


def in_use(*, now: datetime.datetime):
    """Accounts used within the retention period."""
    return not_anonymised(_with_last_used(User.objects).filter(last_used__gte=cutoff(now)))


def unused(*, now: datetime.datetime, keep_organisations=None):
    """Accounts due to be anonymised: not used within the retention period, not staff or
    superusers (officers' accounts follow the council's own leavers' process), not anonymised
    already, and not members of the organisations in `keep_organisations` (a queryset)."""
    users = _with_last_used(User.objects).filter(
        last_used__lt=cutoff(now), is_staff=False, is_superuser=False
    )
    if keep_organisations is not None:
        users = users.exclude(organisation__in=keep_organisations)
    return not_anonymised(users).order_by("pk")


def anonymise_account(
    *, user_id: int, now: datetime.datetime, keep_organisations=None
) -> int | None:
    """Anonymises one unused account and deletes its sign-in records; returns how many records,
    or None when it did nothing. Re-checked under a row lock, so an account that signed in
    meanwhile, or was done already, is left alone."""
    with transaction.atomic():
        user = (
            unused(now=now, keep_organisations=keep_organisations)
            .select_for_update()
            .filter(pk=user_id)
            .first()
        )
        if user is None:
            return None
        # Before the address goes: it is how the sign-in records name the account.
        forgotten = forget_sign_ins(users=User.objects.filter(pk=user.pk))
        user.email = anonymised_email(user.pk)
        user.full_name = ANONYMISED_NAME
        user.set_unusable_password()
        user.is_active = False
        user.organisation = None
        user.save(update_fields=["email", "full_name", "password", "is_active", "organisation"])
        user.groups.clear()
        user.user_permissions.clear()
    return forgotten


def _sign_ins(model, *, before=None, users=None):
    """A sign-in record model's rows made before `before`, or naming one of `users` (by email,
    whatever its case)."""
    wanted = Q(pk__in=[])
    if before is not None:
        wanted |= Q(attempt_time__lt=before)
    if users is not None:
        wanted |= Q(username_lower__in=users.annotate(e=Lower("email")).values("e"))
    return model.objects.annotate(username_lower=Lower("username")).filter(wanted)


def forget_sign_ins(*, before: datetime.datetime | None = None, users=None) -> int:
    """Deletes django-axes' records made before `before` or naming one of `users`; returns how
    many. An old record's lockout has long expired, so nothing else changes."""
    deleted = 0
    for model in SIGN_IN_RECORDS:
        _, by_model = _sign_ins(model, before=before, users=users).delete()
        deleted += by_model.get(model._meta.label, 0)
    return deleted


def sign_ins_due(*, now: datetime.datetime, users=None) -> int:
    """How many sign-in records `forget_sign_ins` would delete."""
    return sum(
        _sign_ins(model, before=cutoff(now), users=users).count() for model in SIGN_IN_RECORDS
    )


def _session_model():
    """The session model, when sessions are kept in the database (the default)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store.get_model_class() if hasattr(store, "get_model_class") else None


def expired_sessions(*, now: datetime.datetime) -> int:
    model = _session_model()
    return model.objects.filter(expire_date__lt=now).count() if model else 0


def clear_expired_sessions(*, now: datetime.datetime) -> int:
    """What `manage.py clearsessions` does; returns how many were deleted (when countable)."""
    count = expired_sessions(now=now)
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return count


# --- Organisations ---------------------------------------------------------------------------

# What identifies an organisation and the people behind it. The body type stays: a decision on a
# business case rests on it (only certain bodies may bid).
_CLEARED = {
    "registration_number": "",
    "address_line_1": "",
    "address_line_2": "",
    "town": "",
    "postcode": "",
    "district": None,
    "annual_turnover": None,
    "reserves": None,
    "created_by": None,
}


def identifiable(organisations, *, keep_name_of=None):
    """Those of `organisations` that still hold something to clear. The name counts unless the
    organisation is in `keep_name_of` (a queryset)."""
    details = Q()
    for field, empty in _CLEARED.items():
        details |= Q(**{f"{field}__isnull": False}) if empty is None else ~Q(**{field: empty})
    anonymised_name = Concat(
        Value(f"{ANONYMISED_ORGANISATION} "), Cast("pk", output_field=models.CharField())
    )
    named = ~Q(name=anonymised_name)
    if keep_name_of is not None:
        named &= ~Q(pk__in=keep_name_of.values("pk"))
    return organisations.filter(details | named)


def anonymise_organisation(*, organisation_id: int, keep_name: bool = False) -> bool:
    """Clears an organisation's address, registration number, district and financial figures, and
    its name unless `keep_name` (a published decision names it). A new joining code, so that no
    one can join it. Returns whether anything changed: a second call changes nothing."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if organisation is None:
            return False
        target = dict(_CLEARED)
        if not keep_name:
            target["name"] = anonymised_organisation_name(organisation.pk)
        changed = [f for f, v in target.items() if getattr(organisation, _attname(f)) != v]
        if not changed:
            return False
        for field in changed:
            setattr(organisation, field, target[field])
        organisation.join_code = new_join_code()
        organisation.save(update_fields=[*changed, "join_code"])
    return True


def _attname(field: str) -> str:
    # Compare foreign keys by id, without loading the related row.
    return Organisation._meta.get_field(field).attname


@dataclass
class AccountsReport:
    accounts: int = 0
    unconfirmed_accounts: int = 0
    sign_in_records: int = 0
    expired_sessions: int = 0


# An account whose address was never confirmed is deleted this long after its confirmation link
# expired (PASSWORD_RESET_TIMEOUT): nobody ever signed in to it, so no record points at it, and
# keeping an address someone typed (perhaps another person's) serves no purpose.
UNCONFIRMED_GRACE = datetime.timedelta(days=7)


def unconfirmed_expired(*, now: datetime.datetime):
    """Accounts still awaiting confirmation long after their link stopped working."""
    expired = now - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) - UNCONFIRMED_GRACE
    return User.objects.filter(
        awaiting_confirmation=True,
        is_active=False,
        last_login__isnull=True,
        is_staff=False,
        date_joined__lt=expired,
    )


def purge(
    *, now: datetime.datetime, keep_organisations=None, dry_run: bool = False
) -> AccountsReport:
    """Anonymises unused accounts, and deletes their sign-in records, sign-in records older than
    the retention period and expired sessions. With `dry_run`, only counts."""
    due = unused(now=now, keep_organisations=keep_organisations)
    unconfirmed = unconfirmed_expired(now=now)
    if dry_run:
        return AccountsReport(
            accounts=due.count(),
            unconfirmed_accounts=unconfirmed.count(),
            sign_in_records=sign_ins_due(now=now, users=due),
            expired_sessions=expired_sessions(now=now),
        )
    report = AccountsReport()
    for user in list(unconfirmed):
        try:
            with transaction.atomic():
                report.sign_in_records += forget_sign_ins(users=User.objects.filter(pk=user.pk))
                user.delete()
                report.unconfirmed_accounts += 1
        except models.ProtectedError:
            pass  # something points at it after all: it is anonymised when unused instead
    for user_id in list(due.values_list("pk", flat=True)):
        forgotten = anonymise_account(
            user_id=user_id, now=now, keep_organisations=keep_organisations
        )
        if forgotten is not None:
            report.accounts += 1
            report.sign_in_records += forgotten
    report.sign_in_records += forget_sign_ins(before=cutoff(now))
    report.expired_sessions = clear_expired_sessions(now=now)
    return report
