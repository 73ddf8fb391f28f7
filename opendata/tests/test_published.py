"""The rule of what of a decision is public (opendata/published.py), and how a bidder's request
not to be named reaches it: asked in the declarations, agreed by the officer when publishing."""

import pytest
from django.urls import reverse

from bids import record
from bids.models import Status
from evaluation.models import Decision
from evaluation.review import decisions
from opendata.published import WITHHELD, bidder_name, public, published_decisions

pytestmark = pytest.mark.django_db


def test_the_bidders_request_is_kept_in_the_submitted_record(rejected_through_the_workflow):
    asked = rejected_through_the_workflow(asks=True, publish=False)
    not_asked = rejected_through_the_workflow(publish=False)
    assert record.values(asked)["declarations"]["withhold_name"] is True
    assert decisions.asked_to_withhold_name(asked)
    assert not decisions.asked_to_withhold_name(not_asked)


def test_a_bidder_who_asked_and_was_agreed_is_name_withheld(rejected_through_the_workflow):
    case = rejected_through_the_workflow(asks=True, withhold=True)
    decision = published_decisions().get(case=case)
    assert decision.bidder_name_withheld
    assert bidder_name(decision) == WITHHELD
    shown = public(decision)
    assert shown.bidder == WITHHELD and not shown.bidder_named
    assert case.organisation.name not in repr(shown)


def test_a_bidder_who_asked_is_named_unless_the_officer_agrees(rejected_through_the_workflow):
    case = rejected_through_the_workflow(asks=True, withhold=False)
    decision = published_decisions().get(case=case)
    assert public(decision).bidder == case.organisation.name


def test_an_officer_cannot_withhold_a_name_the_bidder_did_not_ask_to_withhold(
    rejected_through_the_workflow, commissioning_officer
):
    case = rejected_through_the_workflow(publish=False)
    with pytest.raises(decisions.DecisionError, match="did not ask"):
        decisions.publish(case=case, by=commissioning_officer, withhold_name=True)
    case.refresh_from_db()
    assert case.status == Status.DECIDED
    assert Decision.objects.get(case=case).published_at is None
    assert not published_decisions().filter(case=case).exists()


def test_an_unpublished_decision_has_no_public_view(rejected_through_the_workflow):
    case = rejected_through_the_workflow(publish=False)
    with pytest.raises(ValueError, match="not published"):
        public(Decision.objects.get(case=case))


def test_the_public_view_holds_nothing_but_the_decision_and_the_service(published_case):
    case = published_case(reference="RTB-2026-0001")
    shown = public(published_decisions().get())
    assert shown.reference == "RTB-2026-0001"
    assert shown.bidder == case.organisation.name
    assert set(vars(shown)) == {
        "reference",
        "public_id",
        "service",
        "bidder",
        "bidder_named",
        "outcome",
        "outcome_label",
        "ground",
        "ground_label",
        "modification",
        "reasons",
        "submitted_at",
        "decided_at",
        "published_at",
    }


def test_the_officer_agrees_on_the_admin_publish_page(
    client, rejected_through_the_workflow, commissioning_officer
):
    asked = rejected_through_the_workflow(asks=True, publish=False)
    not_asked = rejected_through_the_workflow(publish=False)
    client.force_login(commissioning_officer)

    page = client.get(reverse("admin:bids_businesscase_publish", args=[not_asked.pk]))
    assert 'name="withhold_name"' not in page.content.decode()
    # a forged tick for a bidder who did not ask is ignored, not obeyed
    client.post(
        reverse("admin:bids_businesscase_publish", args=[not_asked.pk]), {"withhold_name": "on"}
    )
    assert Decision.objects.get(case=not_asked).published_at is not None
    assert not Decision.objects.get(case=not_asked).bidder_name_withheld

    url = reverse("admin:bids_businesscase_publish", args=[asked.pk])
    assert 'name="withhold_name"' in client.get(url).content.decode()
    response = client.post(url, {"withhold_name": "on"})
    assert response.status_code == 302
    decision = Decision.objects.get(case=asked)
    assert decision.published_at is not None and decision.bidder_name_withheld
