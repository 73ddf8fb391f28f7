import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.factories import UserFactory
from bids import workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Event, Outcome, Status
from bids.signals import case_submitted
from services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def member_of(case):
    return UserFactory(organisation=case.organisation)


def test_submit_gives_a_reference_records_the_event_and_mails_the_organisation(
    mailoutbox, django_capture_on_commit_callbacks
):
    case = BusinessCaseFactory(complete=True)
    colleague = member_of(case)
    year = timezone.localdate().year
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(case=case, by=colleague)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert case.reference == f"RTB-{year}-0001"
    assert list(case.events.values_list("kind", "to_status")) == [
        (Event.Kind.SUBMITTED, Status.SUBMITTED)
    ]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == f"Business case RTB-{year}-0001 received: {case.service.name}"
    assert sorted(mailoutbox[0].to) == sorted({case.created_by.email, colleague.email})


def test_references_count_up_without_gaps():
    year = timezone.localdate().year
    refs = []
    for _ in range(3):
        case = BusinessCaseFactory(complete=True)
        refs.append(workflow.submit(case=case, by=case.created_by).reference)
    assert refs == [f"RTB-{year}-0001", f"RTB-{year}-0002", f"RTB-{year}-0003"]


def test_submit_announces_case_submitted_on_commit(django_capture_on_commit_callbacks):
    case = BusinessCaseFactory(complete=True)
    heard = []

    def receiver(sender, case_id, **kwargs):
        heard.append(case_id)

    case_submitted.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            workflow.submit(case=case, by=case.created_by)
        assert heard == []  # nothing is announced before the commit
        for callback in callbacks:
            callback()
        assert heard == [case.pk]
    finally:
        case_submitted.disconnect(receiver)


def test_an_incomplete_case_cannot_be_submitted_and_says_what_is_missing():
    case = BusinessCaseFactory(complete=True)
    del case.answers["risks"]
    case.answers["finance"]["data"]["contract_term_years"] = ["0"]
    case.save()
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.submit(case=case, by=case.created_by)
    assert str(e.value) == (
        "Complete every section before you submit. Still to do: financial case, risks."
    )
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    assert case.reference is None


def test_a_case_cannot_be_submitted_after_the_window_closed():
    closed = timezone.localdate() - datetime.timedelta(days=1)
    service = ServiceFactory(
        name="Country Parks",
        bid_window_opens=closed - datetime.timedelta(days=30),
        bid_window_closes=closed,
    )
    case = BusinessCaseFactory(complete=True, service=service)
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.submit(case=case, by=case.created_by)
    assert str(e.value) == (
        f"Country Parks is not open for bids (bidding closed on {closed:%-d %B %Y}), so this "
        "business case cannot be submitted. Your draft is saved."
    )
    assert BusinessCase.objects.get(pk=case.pk).status == Status.DRAFT


def test_someone_outside_the_organisation_cannot_submit():
    case = BusinessCaseFactory(complete=True)
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(case=case, by=UserFactory())
    assert BusinessCase.objects.get(pk=case.pk).status == Status.DRAFT


def test_submitting_twice_submits_once():
    case = BusinessCaseFactory(complete=True)
    stale = BusinessCase.objects.get(pk=case.pk)  # the second tab loaded it as a draft
    workflow.submit(case=case, by=case.created_by)
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(case=stale, by=case.created_by)
    assert Event.objects.filter(case=case, kind=Event.Kind.SUBMITTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_submit_once():
    """Two requests racing (two tabs, a double click) on real PostgreSQL: one wins."""
    case = BusinessCaseFactory(complete=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        mine = BusinessCase.objects.get(pk=case.pk)
        barrier.wait()
        try:
            workflow.submit(case=mine, by=case.created_by)
            outcomes.append("submitted")
        except workflow.WorkflowError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "submitted"]
    assert Event.objects.filter(case=case, kind=Event.Kind.SUBMITTED).count() == 1
    assert BusinessCase.objects.get(pk=case.pk).reference.endswith("-0001")


def test_withdraw_before_a_decision_is_recorded_with_the_reason():
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    workflow.withdraw(case=case, by=case.created_by, reason="Partner pulled out")
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.events.last().note == "Partner pulled out"


def test_a_decided_case_cannot_be_withdrawn():
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    officer = UserFactory(role="Commissioning officer")
    workflow.move(case=case, to=Status.SCREENING, by=officer)
    workflow.move(case=case, to=Status.DECIDED, by=officer, outcome=Outcome.REJECTED)
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.withdraw(case=case, by=case.created_by)
    assert "can no longer be withdrawn" in str(e.value)


def test_a_move_not_in_the_table_is_refused():
    case = BusinessCaseFactory(complete=True)
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.move(case=case, to=Status.DECIDED, by=case.created_by)
    assert str(e.value) == "A business case that is draft cannot be moved to decided."
