"""Unused accounts are anonymised, and old sign-in records and expired sessions deleted, once past
ACCOUNT_RETENTION_DAYS (accounts/retention.py). Dates are set in the past explicitly."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import retention
from accounts.factories import PASSWORD, OrganisationFactory, UserFactory
from accounts.models import Organisation, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db

DAYS = 1095


@pytest.fixture(autouse=True)
def retention_period(settings):
    settings.ACCOUNT_RETENTION_DAYS = DAYS


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def unused_user(**kwargs) -> User:
    """Made four years ago and last signed in just over the retention period ago."""
    return UserFactory(date_joined=days_ago(DAYS + 400), last_login=days_ago(DAYS + 1), **kwargs)


def sign_in_record(model, *, email: str, days: int):
    extra = (
        {"get_data": "", "post_data": "", "failures_since_start": 1}
        if model is AccessAttempt
        else {}
    )
    record = model.objects.create(
        username=email,
        ip_address="192.0.2.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/accounts/sign-in/",
        **extra,
    )
    model.objects.filter(pk=record.pk).update(attempt_time=days_ago(days))
    return record


def test_an_account_unused_beyond_retention_is_anonymised(client):
    organisation = OrganisationFactory()
    user = unused_user(
        email="jane.smith@example.org", full_name="Jane Smith", organisation=organisation
    )

    report = retention.purge(now=timezone.now())

    user.refresh_from_db()
    assert report.accounts == 1
    assert user.email == f"anonymised-{user.pk}@anonymised.invalid"
    assert user.full_name == "Anonymised user"
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.organisation is None
    assert not user.groups.exists()
    assert User.objects.filter(email__icontains="jane").count() == 0
    # Nobody can sign in as Jane any more, with either address.
    for email in ("jane.smith@example.org", user.email):
        client.post("/accounts/sign-in/", {"username": email, "password": PASSWORD})
        assert "_auth_user_id" not in client.session


def test_an_account_never_signed_in_to_counts_from_the_day_it_was_made():
    old = UserFactory(date_joined=days_ago(DAYS + 1), last_login=None)
    new = UserFactory(date_joined=days_ago(DAYS - 1), last_login=None)

    retention.purge(now=timezone.now())

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.full_name == "Anonymised user"
    assert new.is_active and new.full_name != "Anonymised user"


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.COMMISSIONING_OFFICER, Role.ADMIN])
def test_staff_and_superuser_accounts_are_kept_however_long_unused(role):
    officer = unused_user(role=role)
    unused_superuser = unused_user(role=None, is_superuser=True)

    assert retention.purge(now=timezone.now()).accounts == 0

    for user in (officer, unused_superuser):
        email = user.email
        user.refresh_from_db()
        assert user.email == email and user.is_active


def test_an_account_used_within_retention_is_kept():
    user = UserFactory(date_joined=days_ago(DAYS * 2), last_login=days_ago(DAYS - 1))

    assert retention.purge(now=timezone.now()).accounts == 0

    user.refresh_from_db()
    assert user.is_active and user.full_name != "Anonymised user"


def test_members_of_the_organisations_to_keep_are_kept():
    busy = OrganisationFactory()
    member = unused_user(organisation=busy)
    other = unused_user(organisation=OrganisationFactory())

    report = retention.purge(
        now=timezone.now(), keep_organisations=Organisation.objects.filter(pk=busy.pk)
    )

    member.refresh_from_db()
    other.refresh_from_db()
    assert report.accounts == 1
    assert member.is_active and member.organisation == busy
    assert not other.is_active


def test_old_sign_in_records_and_those_of_anonymised_accounts_are_deleted():
    gone = unused_user(email="gone@example.org")
    active = UserFactory(email="active@example.org", last_login=days_ago(1))
    # The anonymised account's records go whatever their age (they hold its address) ...
    sign_in_record(AccessLog, email="Gone@Example.org", days=DAYS + 5)
    sign_in_record(AccessAttempt, email="gone@example.org", days=3)
    # ... anyone's records go once older than the retention period ...
    sign_in_record(AccessLog, email="active@example.org", days=DAYS + 1)
    # ... and recent records of an account in use stay.
    recent = sign_in_record(AccessLog, email="active@example.org", days=DAYS - 1)

    report = retention.purge(now=timezone.now())

    assert report.sign_in_records == 3
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessAttempt.objects.exists()
    gone.refresh_from_db()
    active.refresh_from_db()
    assert not gone.is_active and active.is_active


def test_expired_sessions_are_deleted_and_live_ones_kept():
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=days_ago(1))
    live = SessionStore()
    live.create()

    assert retention.purge(now=timezone.now()).expired_sessions == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_a_second_run_finds_nothing_left_to_do():
    unused_user()
    sign_in_record(AccessLog, email="someone@example.org", days=DAYS + 1)
    first = retention.purge(now=timezone.now())
    before = list(User.objects.order_by("pk").values())

    second = retention.purge(now=timezone.now())

    assert (first.accounts, first.sign_in_records) == (1, 1)
    assert second == retention.AccountsReport()
    assert list(User.objects.order_by("pk").values()) == before


def test_a_dry_run_counts_and_changes_nothing():
    unused_user(email="gone@example.org")
    sign_in_record(AccessLog, email="gone@example.org", days=1)
    sign_in_record(AccessLog, email="someone@example.org", days=DAYS + 1)
    users = list(User.objects.order_by("pk").values())

    dry = retention.purge(now=timezone.now(), dry_run=True)

    assert (dry.accounts, dry.sign_in_records) == (1, 2)
    assert list(User.objects.order_by("pk").values()) == users
    assert AccessLog.objects.count() == 2
    assert retention.purge(now=timezone.now()) == dry  # and then does exactly that


def test_an_anonymised_organisation_loses_what_identifies_it_and_a_second_call_changes_nothing():
    organisation = OrganisationFactory(
        name="Smith Family Trust",
        registration_number="01234567",
        address_line_1="1 High Street",
        town="Margate",
        postcode="CT9 1AA",
        annual_turnover=250000,
        reserves=40000,
    )
    organisation.created_by = UserFactory(organisation=organisation)
    organisation.save()
    code = organisation.join_code

    assert retention.anonymise_organisation(organisation_id=organisation.pk)
    organisation.refresh_from_db()
    assert organisation.name == f"Anonymised organisation {organisation.pk}"
    assert organisation.body_type == Organisation.BodyType.VOLUNTARY  # the decision rests on it
    assert (organisation.registration_number, organisation.address_line_1) == ("", "")
    assert (organisation.town, organisation.postcode) == ("", "")
    assert (organisation.annual_turnover, organisation.reserves) == (None, None)
    assert organisation.created_by is None
    assert organisation.join_code != code  # nobody can join it with the old code

    code = organisation.join_code
    assert not retention.anonymise_organisation(organisation_id=organisation.pk)
    organisation.refresh_from_db()
    assert organisation.join_code == code
    assert not retention.identifiable(Organisation.objects.filter(pk=organisation.pk)).exists()


def test_an_account_never_confirmed_is_deleted_a_week_after_its_link_expired(settings):
    now = timezone.now()
    link_life = datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    stale = UserFactory(is_active=False, awaiting_confirmation=True)
    fresh = UserFactory(is_active=False, awaiting_confirmation=True)
    confirmed = UserFactory()
    User.objects.filter(pk__in=[stale.pk, confirmed.pk]).update(
        date_joined=now - link_life - datetime.timedelta(days=8)
    )

    assert retention.purge(now=now, dry_run=True).unconfirmed_accounts == 1
    assert User.objects.filter(pk=stale.pk).exists()
    report = retention.purge(now=now)

    assert report.unconfirmed_accounts == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk=fresh.pk).exists()
    assert User.objects.get(pk=confirmed.pk).email == confirmed.email
