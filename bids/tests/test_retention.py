"""Withdrawn and rejected business cases lose their personal data once past
PERSONAL_DATA_RETENTION_DAYS and keep their record (bids/retention.py); `purge_personal_data` runs
it with the accounts' rules. Closing dates are set in the past explicitly."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Organisation, User
from bids import clarifications, documents, retention, workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Clarification, Document, Event, Outcome, Status
from bids.tests import files

pytestmark = pytest.mark.django_db

DAYS = 730
ACCOUNT_DAYS = 1095


@pytest.fixture(autouse=True)
def retention_periods(settings, tmp_path):
    settings.PERSONAL_DATA_RETENTION_DAYS = DAYS
    settings.ACCOUNT_RETENTION_DAYS = ACCOUNT_DAYS
    settings.MEDIA_ROOT = tmp_path


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def submitted_with_history(officer, **kwargs) -> BusinessCase:
    """A case as a bidder leaves it: a document named after a person, submitted, a question from
    an officer answered with personal details."""
    case = BusinessCaseFactory(complete=True, **kwargs)
    bidder = case.created_by
    upload = SimpleUploadedFile("Jane Smith CV.pdf", files.pdf_bytes())
    documents.add(case=case, upload=upload, by=bidder)
    workflow.submit(case=case, by=bidder)
    question = clarifications.ask(case=case, question="Who would manage the service?", by=officer)
    clarifications.answer(clarification=question, text="Jane Smith, 07700 900123", by=bidder)
    return BusinessCase.objects.get(pk=case.pk)


def withdrawn(officer, *, closed_days_ago: int, **kwargs) -> BusinessCase:
    case = submitted_with_history(officer, **kwargs)
    workflow.withdraw(case=case, by=case.created_by, reason="Jane Smith, our chair, is unwell")
    return closed(case, days=closed_days_ago)


def decided(officer, *, outcome: str, closed_days_ago: int, **kwargs) -> BusinessCase:
    case = submitted_with_history(officer, **kwargs)
    workflow.move(case=case, to=Status.SCREENING, by=officer)
    workflow.move(case=case, to=Status.DECIDED, by=officer, outcome=outcome)
    return closed(case, days=closed_days_ago)


def closed(case, *, days: int) -> BusinessCase:
    BusinessCase.objects.filter(pk=case.pk).update(closed_at=days_ago(days))
    return BusinessCase.objects.get(pk=case.pk)


def purge(django_capture_on_commit_callbacks, **kwargs) -> retention.Report:
    with django_capture_on_commit_callbacks(execute=True):
        return retention.purge_personal_data(**kwargs)


def snapshot() -> dict:
    """Every row the purge may touch."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (BusinessCase, Document, Clarification, Event, User, Organisation)
    }


def test_withdrawing_or_deciding_a_case_records_when_it_closed(admin_user):
    case = submitted_with_history(admin_user)
    assert case.closed_at is None
    workflow.move(case=case, to=Status.SCREENING, by=admin_user)
    assert case.closed_at is None
    workflow.move(case=case, to=Status.DECIDED, by=admin_user, outcome=Outcome.ACCEPTED)
    assert case.closed_at is not None
    assert case.outcome == Outcome.ACCEPTED

    other = submitted_with_history(admin_user)
    workflow.withdraw(case=other, by=other.created_by)
    assert other.closed_at is not None


def test_a_withdrawn_case_past_retention_is_anonymised_and_a_recent_one_is_not(
    admin_user, reviewer, settings, django_capture_on_commit_callbacks
):
    old = withdrawn(reviewer, closed_days_ago=DAYS + 1)
    recent = withdrawn(reviewer, closed_days_ago=DAYS - 1)
    recent_before = snapshot()["BusinessCase"][1]

    report = purge(django_capture_on_commit_callbacks)

    assert (report.withdrawn_cases, report.rejected_cases, report.documents) == (1, 0, 1)
    old.refresh_from_db()
    assert old.answers == {}
    assert old.anonymised_at is not None
    assert (old.status, old.reference) == (Status.WITHDRAWN, old.reference)
    document = old.documents.get()
    assert document.name == "Document removed under the retention policy"
    assert not document.file
    clarification = old.clarifications.get()
    assert clarification.question == "Who would manage the service?"  # the officer's: kept
    assert (clarification.answer, clarification.answered_by) == ("", None)
    assert clarification.answered_at is not None
    notes = set(old.events.values_list("kind", "note"))
    assert (Event.Kind.WITHDRAWN, "") in notes
    assert (Event.Kind.QUESTION_ANSWERED, "") in notes
    assert (Event.Kind.DOCUMENT_ADDED, "") in notes
    assert (Event.Kind.QUESTION_ASKED, "Who would manage the service?") in notes
    # The bidder's people are gone from the timeline; the officer stays.
    assert set(old.events.exclude(actor=None).values_list("actor", flat=True)) == {reviewer.pk}
    # Only the recent case's file is left in storage.
    assert stored_files(settings.MEDIA_ROOT) == [
        settings.MEDIA_ROOT / recent.documents.get().file.name
    ]
    assert BusinessCase.objects.filter(pk=recent.pk).values().get() == recent_before


def test_a_rejected_case_keeps_its_record_and_loses_the_bidders_text_and_files(
    admin_user, settings, django_capture_on_commit_callbacks
):
    case = decided(admin_user, outcome=Outcome.REJECTED, closed_days_ago=DAYS + 1)
    document = case.documents.get()
    path = settings.MEDIA_ROOT / document.file.name
    assert path.exists()
    timeline = list(case.events.values_list("kind", "from_status", "to_status", "at"))

    report = purge(django_capture_on_commit_callbacks)

    assert (report.withdrawn_cases, report.rejected_cases, report.documents) == (0, 1, 1)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.DECIDED, Outcome.REJECTED)
    assert case.reference.startswith("RTB-")
    today = timezone.now().date().isoformat()
    sections = "proposal outcomes finance delivery partners social_value risks declarations"
    assert case.answers == {
        key: {"data": {}, "checked": False, "removed": today} for key in sections.split()
    }
    assert "Jane" not in str(case.answers)
    assert case.record == {}  # the record as submitted was the bidder's text too
    assert list(case.events.values_list("kind", "from_status", "to_status", "at")) == timeline
    document.refresh_from_db()
    assert document.name == "Document removed under the retention policy"
    assert (document.size, document.kind) == (len(files.pdf_bytes()), "pdf")
    assert len(document.sha256) == 64  # evidence of what was received
    assert not path.exists()
    assert case.clarifications.get().answer == ""


@pytest.mark.parametrize("outcome", [Outcome.ACCEPTED, Outcome.ACCEPTED_WITH_MODIFICATION])
def test_an_accepted_case_is_never_touched(
    admin_user, outcome, settings, django_capture_on_commit_callbacks
):
    case = decided(admin_user, outcome=outcome, closed_days_ago=DAYS * 5)
    case.organisation.members.update(last_login=days_ago(ACCOUNT_DAYS * 2))
    before = snapshot()

    report = purge(django_capture_on_commit_callbacks)

    assert (report.withdrawn_cases, report.rejected_cases, report.organisations) == (0, 0, 0)
    after = snapshot()
    for model in ("BusinessCase", "Document", "Clarification", "Event", "Organisation"):
        assert after[model] == before[model]
    assert len(stored_files(settings.MEDIA_ROOT)) == 1


def test_cases_under_consideration_drafts_and_cases_without_an_outcome_are_not_purged(
    admin_user, django_capture_on_commit_callbacks
):
    closed(submitted_with_history(admin_user), days=DAYS * 5)  # not closed, whatever the date
    closed(BusinessCaseFactory(complete=True), days=DAYS * 5)  # a draft
    # Decided before outcomes were recorded (the workflow now always records one).
    legacy = submitted_with_history(admin_user)
    BusinessCase.objects.filter(pk=legacy.pk).update(status=Status.DECIDED)
    closed(legacy, days=DAYS * 5)

    assert purge(django_capture_on_commit_callbacks).counts()["withdrawn_cases"] == 0
    assert not BusinessCase.objects.exclude(anonymised_at=None).exists()


def test_the_bidder_still_sees_the_anonymised_case_without_its_files(
    client, reviewer, django_capture_on_commit_callbacks
):
    case = withdrawn(reviewer, closed_days_ago=DAYS + 1)
    document = case.documents.get()
    purge(django_capture_on_commit_callbacks)
    client.force_login(case.created_by)

    page = client.get(case.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert "Removed on" in html
    assert "Document removed under the retention policy" in html
    assert document.get_absolute_url() not in html
    assert "removed under our retention policy" in html  # the clarification answer
    assert "Jane Smith" not in html
    assert client.get(document.get_absolute_url()).status_code == 404


def test_an_organisation_is_anonymised_once_all_its_cases_are_and_its_members_unused(
    reviewer, django_capture_on_commit_callbacks
):
    case = withdrawn(reviewer, closed_days_ago=DAYS + 1)
    organisation = case.organisation
    Organisation.objects.filter(pk=organisation.pk).update(
        created_at=days_ago(ACCOUNT_DAYS * 2), postcode="CT9 1AA", registration_number="123"
    )
    member = case.created_by
    User.objects.filter(pk=member.pk).update(last_login=days_ago(ACCOUNT_DAYS - 1))

    # A member signed in within the account retention period: the organisation stays.
    assert purge(django_capture_on_commit_callbacks).organisations == 0
    organisation.refresh_from_db()
    assert organisation.postcode == "CT9 1AA"

    User.objects.filter(pk=member.pk).update(last_login=days_ago(ACCOUNT_DAYS + 1))
    report = purge(django_capture_on_commit_callbacks)

    assert (report.organisations, report.accounts) == (1, 1)
    organisation.refresh_from_db()
    assert organisation.name == f"Anonymised organisation {organisation.pk}"
    assert (organisation.postcode, organisation.registration_number) == ("", "")
    member.refresh_from_db()
    assert member.organisation is None and not member.is_active


def test_an_organisation_with_another_case_open_keeps_its_details(
    reviewer, django_capture_on_commit_callbacks
):
    case = withdrawn(reviewer, closed_days_ago=DAYS + 1)
    BusinessCaseFactory(organisation=case.organisation, created_by=case.created_by)  # a draft
    Organisation.objects.filter(pk=case.organisation_id).update(
        created_at=days_ago(ACCOUNT_DAYS * 2)
    )
    User.objects.filter(pk=case.created_by_id).update(last_login=days_ago(ACCOUNT_DAYS + 1))

    report = purge(django_capture_on_commit_callbacks)

    assert (report.withdrawn_cases, report.organisations) == (1, 0)
    assert Organisation.objects.get(pk=case.organisation_id).name == case.organisation.name


def test_an_organisation_named_in_a_published_decision_keeps_its_name_only(
    admin_user, django_capture_on_commit_callbacks
):
    case = decided(admin_user, outcome=Outcome.REJECTED, closed_days_ago=DAYS + 1)
    workflow.move(case=case, to=Status.PUBLISHED, by=admin_user)
    Organisation.objects.filter(pk=case.organisation_id).update(
        created_at=days_ago(ACCOUNT_DAYS * 2), town="Margate"
    )
    User.objects.filter(pk=case.created_by_id).update(last_login=days_ago(ACCOUNT_DAYS + 1))

    report = purge(django_capture_on_commit_callbacks)

    assert (report.rejected_cases, report.organisations) == (1, 1)
    organisation = Organisation.objects.get(pk=case.organisation_id)
    assert (organisation.name, organisation.town) == (case.organisation.name, "")
    assert purge(django_capture_on_commit_callbacks).organisations == 0


def test_members_of_an_organisation_with_a_case_under_consideration_are_kept(
    reviewer, django_capture_on_commit_callbacks
):
    case = submitted_with_history(reviewer)
    colleague = UserFactory(
        organisation=case.organisation,
        date_joined=days_ago(ACCOUNT_DAYS * 2),
        last_login=days_ago(ACCOUNT_DAYS + 1),
    )
    elsewhere = UserFactory(
        date_joined=days_ago(ACCOUNT_DAYS * 2), last_login=days_ago(ACCOUNT_DAYS + 1)
    )

    report = purge(django_capture_on_commit_callbacks)

    assert report.accounts == 1
    colleague.refresh_from_db()
    elsewhere.refresh_from_db()
    assert colleague.is_active and colleague.organisation_id == case.organisation_id
    assert not elsewhere.is_active


def everything_due(officer) -> None:
    withdrawn(officer, closed_days_ago=DAYS + 1)
    rejected = decided(officer, outcome=Outcome.REJECTED, closed_days_ago=DAYS + 1)
    Organisation.objects.filter(pk=rejected.organisation_id).update(
        created_at=days_ago(ACCOUNT_DAYS * 2)
    )
    User.objects.filter(organisation=rejected.organisation_id).update(
        last_login=days_ago(ACCOUNT_DAYS + 1)
    )


def test_running_twice_changes_nothing_the_second_time(
    admin_user, settings, django_capture_on_commit_callbacks
):
    everything_due(admin_user)
    first = purge(django_capture_on_commit_callbacks)
    after_first = snapshot()

    second = purge(django_capture_on_commit_callbacks)

    assert first.counts() == {
        "withdrawn_cases": 1,
        "rejected_cases": 1,
        "documents": 2,
        "organisations": 1,
        "accounts": 1,
        "unconfirmed_accounts": 0,
        "sign_in_records": 0,
        "expired_sessions": 0,
    }
    assert set(second.counts().values()) == {0}
    assert snapshot() == after_first
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_dry_run_changes_nothing_and_says_what_the_real_run_then_does(
    admin_user, settings, django_capture_on_commit_callbacks
):
    everything_due(admin_user)
    before = snapshot()

    dry = purge(django_capture_on_commit_callbacks, dry_run=True)

    assert snapshot() == before
    assert len(stored_files(settings.MEDIA_ROOT)) == 2
    real = purge(django_capture_on_commit_callbacks)
    assert dry.counts() == real.counts()
    assert sum(line.endswith("would be anonymised") for line in dry.details) == 4
    assert not real.details


def test_the_command_prints_its_counts_and_a_dry_run_says_so(
    admin_user, django_capture_on_commit_callbacks
):
    everything_due(admin_user)

    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Dry run: nothing has been changed."
    assert "Withdrawn business cases would be anonymised: 1" in lines
    assert BusinessCase.objects.filter(anonymised_at=None).count() == 2

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=out)
    assert out.getvalue().splitlines() == [
        "Withdrawn business cases anonymised: 1",
        "Rejected business cases anonymised: 1",
        "Documents deleted: 2",
        "Organisations anonymised: 1",
        "Accounts anonymised: 1",
        "Accounts never confirmed deleted: 0",
        "Sign-in records deleted: 0",
        "Expired sessions deleted: 0",
    ]
    assert not BusinessCase.objects.filter(anonymised_at=None).exists()


def test_the_nightly_task_runs_the_purge(admin_user, django_capture_on_commit_callbacks):
    from bids.tasks import purge_personal_data

    everything_due(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_personal_data.apply().get()
    assert (counts["withdrawn_cases"], counts["rejected_cases"]) == (1, 1)


def test_the_case_list_and_documents_pages_still_work_after_anonymising(
    client, reviewer, django_capture_on_commit_callbacks
):
    case = withdrawn(reviewer, closed_days_ago=DAYS + 1)
    purge(django_capture_on_commit_callbacks)
    client.force_login(case.created_by)
    assert client.get(reverse("bids:list")).status_code == 200
    assert client.get(reverse("bids:documents", args=[case.public_id])).status_code == 200


def test_the_migration_dates_cases_closed_before_closed_at_existed_from_their_timeline(
    admin_user, reviewer
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("bids.migrations.0003_outcome_closed_at_anonymised_at")
    gone = withdrawn(reviewer, closed_days_ago=1)
    published = decided(admin_user, outcome=Outcome.ACCEPTED, closed_days_ago=1)
    workflow.move(case=published, to=Status.PUBLISHED, by=admin_user)
    open_case = submitted_with_history(reviewer)
    when = {gone.pk: days_ago(400), published.pk: days_ago(300)}
    for case_id, at in when.items():
        Event.objects.filter(case_id=case_id, to_status__in=["withdrawn", "decided"]).update(at=at)
    BusinessCase.objects.update(closed_at=None)

    migration.closed_at_from_the_timeline(apps, None)

    closed_at = dict(BusinessCase.objects.values_list("pk", "closed_at"))
    assert closed_at == {**when, open_case.pk: None}


def test_the_record_as_submitted_goes_with_the_rest_of_the_bidders_text(
    admin_user, django_capture_on_commit_callbacks
):
    case = decided(admin_user, outcome=Outcome.REJECTED, closed_days_ago=DAYS + 1)
    assert case.record["sections"]  # submitted: the record was kept
    purge(django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.record == {}  # the assessment keeps the figures (evaluation's own test)
