"""Officers in the admin go through the same functions as the web journey."""

import pytest
from django.urls import reverse

from bids import workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Clarification, Event, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = BusinessCaseFactory(complete=True)
    return workflow.submit(case=case, by=case.created_by)


def test_an_officer_asks_a_clarification_and_it_is_on_the_timeline(client, moderator, case):
    reviewer = moderator  # reviewers ask too, about the cases they are assigned (evaluation)
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:bids_clarification_add"),
        {"case": case.pk, "question": "Which sites would close?"},
    )
    assert response.status_code == 302
    question = Clarification.objects.get()
    assert (question.case, question.asked_by) == (case, reviewer)
    event = Event.objects.get(case=case, kind=Event.Kind.QUESTION_ASKED)
    assert (event.actor, event.note) == (reviewer, "Which sites would close?")


def test_no_question_can_be_asked_about_a_withdrawn_case(client, moderator, case):
    workflow.withdraw(case=case, by=case.created_by)
    client.force_login(moderator)
    response = client.post(
        reverse("admin:bids_clarification_add"), {"case": case.pk, "question": "Why?"}
    )
    assert response.status_code == 200
    assert "not one that is withdrawn" in response.content.decode()
    assert Clarification.objects.count() == 0


def test_a_commissioning_officer_moves_cases_through_the_workflow(
    client, commissioning_officer, case
):
    client.force_login(commissioning_officer)
    client.post(
        reverse("admin:bids_businesscase_changelist"),
        {"action": "move_to_screening", "_selected_action": [case.pk]},
    )
    case.refresh_from_db()
    assert case.status == Status.SCREENING
    event = case.events.get(kind=Event.Kind.MOVED)
    assert (event.from_status, event.to_status, event.actor) == (
        Status.SUBMITTED,
        Status.SCREENING,
        commissioning_officer,
    )


def test_drafts_are_not_in_the_officers_list(client, moderator, case):
    draft = BusinessCaseFactory(title="Still writing")
    client.force_login(moderator)
    page = client.get(reverse("admin:bids_businesscase_changelist")).content.decode()
    assert case.reference in page
    assert "Still writing" not in page
    assert BusinessCase.objects.filter(pk=draft.pk).exists()
