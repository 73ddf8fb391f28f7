"""A decided case's summary page: what a member reads, what they never see, and its packs."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from evaluation.models import Assignment, Consensus, DecisionPack, Framework
from members.factories import DecidedCaseFactory, DecisionPackFactory
from services.factories import ServiceFactory
from services.models import District, Portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def text(response):
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html).replace("\xa0", " ")


def url(case):
    return reverse("members:case", kwargs={"public_id": case.public_id})


@pytest.fixture
def case():
    service = ServiceFactory(
        name="Kent Youth Service",
        directorate__name="Children, Young People and Education",
        portfolio=Portfolio.ZERO_25,
        gross_budget=Decimal("6200000"),
        net_budget=Decimal("5100000"),
        districts=[District.objects.get(name="Thanet"), District.objects.get(name="Swale")],
    )
    case = DecidedCaseFactory(
        reference="RTB-2026-0007",
        service=service,
        organisation__name="Thanet Youth Mutual",
        created_by__full_name="Priya Bidderson",
        created_by__email="priya@youthmutual.example",
        outcome="rejected",
        decision__ground="inadequate",
        decision__reasons="The financial case gives no figures for the café.",
        assessment__total=Decimal("61.5"),
        assessment__recommendation="MAKE",
    )
    moderator = UserFactory(role=Role.MODERATOR, full_name="Morwenna Moderator")
    Consensus.objects.create(
        case=case,
        framework=Framework.objects.current(),
        moderator=moderator,
        total=Decimal("48.0"),
        recommendation="BUY",
        recorded_at=timezone.now(),
    )
    reviewer = UserFactory(role=Role.REVIEWER, full_name="Rhiannon Reviewer")
    Assignment.objects.create(
        case=case, reviewer=reviewer, assigned_by=moderator, has_interest=False
    )
    return case


def test_summary_shows_the_service_the_bidder_and_the_decision(signed_in, case):
    response = signed_in.get(url(case))

    assert response.status_code == 200
    page = text(response)
    for expected in [
        "RTB-2026-0007",
        "Directorate Children, Young People and Education",
        "Portfolio 0-25",
        "Districts Swale, Thanet",
        "Gross budget £6,200,000 (illustrative)",
        "Net budget £5,100,000 (illustrative)",
        "Bidder Thanet Youth Mutual",
        "Outcome Rejected on a statutory ground",
        "Statutory ground Information in it is materially inadequate or inaccurate",
        "Reasons The financial case gives no figures for the café.",
        "Published Not published yet",
        "Automatic assessment 61.5 MAKE",
        "Officers’ moderated consensus 48.0 BUY",
    ]:
        assert expected in page, expected
    assert "<title>RTB-2026-0007: Kent Youth Service \N{EN DASH}" in response.content.decode()


def test_summary_names_no_reviewer_moderator_or_bidders_people(signed_in, case):
    page = response_text = text(signed_in.get(url(case)))
    for hidden in [
        "Rhiannon Reviewer",
        "Morwenna Moderator",
        "Priya Bidderson",
        "priya@youthmutual.example",
        case.decision.decided_by.full_name,
    ]:
        assert hidden not in page, hidden
    assert response_text


def test_an_anonymised_case_names_no_bidder(signed_in, case):
    case.anonymised_at = timezone.now()
    case.save()
    page = text(signed_in.get(url(case)))
    assert "Bidder Anonymised" in page
    assert "Thanet Youth Mutual" not in page


def test_a_consensus_not_yet_recorded_says_so(signed_in, case):
    Consensus.objects.filter(case=case).update(recorded_at=None)
    page = text(signed_in.get(url(case)))
    assert "Officers’ moderated consensus Not recorded Not recorded" in page
    assert "48.0" not in page


def test_a_case_never_assessed_says_so(signed_in, case):
    case.assessments.all().delete()
    assert "Automatic assessment Not assessed Not assessed" in text(signed_in.get(url(case)))


def test_the_current_pack_is_the_newest_ready_one_with_its_size_and_checksum(signed_in, case):
    old = DecisionPackFactory(case=case, version=1)
    current = DecisionPackFactory(case=case, version=2, size=1_258_291)
    DecisionPackFactory(case=case, version=3, state=DecisionPack.State.FAILED)

    response = signed_in.get(url(case))

    html = response.content.decode()
    download = reverse("members:pack", kwargs={"public_id": case.public_id, "version": 2})
    assert f'href="{download}" download>Download the decision pack (PDF, 1.2\xa0MB)</a>' in html
    assert current.sha256 in html
    assert "Earlier versions of the decision pack" in html
    earlier = reverse("members:pack", kwargs={"public_id": case.public_id, "version": 1})
    assert f'href="{earlier}"' in html
    assert old.sha256 in html
    assert "/packs/3/" not in html
    assert "being prepared" not in html


def test_a_newer_pack_being_prepared_is_mentioned(signed_in, case):
    DecisionPackFactory(case=case, version=1)
    DecisionPackFactory(case=case, version=2, state=DecisionPack.State.RENDERING)
    page = text(signed_in.get(url(case)))
    assert "A newer version of the decision pack is being prepared" in page
    assert "Download the decision pack" in page
    assert "Earlier versions" not in page


def test_a_first_pack_being_prepared_says_so(signed_in, case):
    DecisionPackFactory(case=case, version=1, state=DecisionPack.State.QUEUED)
    page = text(signed_in.get(url(case)))
    assert "The decision pack is being prepared" in page
    assert "Download the decision pack" not in page


def test_a_case_with_no_pack_says_so(signed_in, case):
    page = text(signed_in.get(url(case)))
    assert "There is no decision pack for this case yet" in page


@pytest.mark.parametrize("how_many", [1, 6])
def test_the_summary_takes_the_same_number_of_queries_however_many_packs(
    signed_in, case, django_assert_num_queries, how_many
):
    for version in range(1, how_many + 1):
        DecisionPackFactory(case=case, version=version)
    signed_in.get(url(case))  # the sliding session is renewed on the first request
    # Session, user, roles, the case (with service, decision, consensus and machine's scores),
    # its districts, its packs.
    with django_assert_num_queries(6):
        response = signed_in.get(url(case))
    assert response.content.decode().count("/packs/") == how_many
