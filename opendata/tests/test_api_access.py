"""Who reads what through the API: anyone reads the catalogue and published decisions; only
officers read business cases, reviewers only those they are cleared for."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.factories import UserFactory
from accounts.roles import Role
from bids.factories import BusinessCaseFactory
from bids.models import Outcome, Status
from members.factories import AssessmentFactory, DecidedCaseFactory
from opendata.tests.api_helpers import API, assign, case_in_review, own_cache, published_case
from services.factories import DistrictFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_throttle_counts(settings):
    own_cache(settings)


def test_anonymous_client_reads_the_catalogue(client):
    service = ServiceFactory(name="Libraries", districts=[DistrictFactory(name="Thanet")])
    for url in (
        f"{API}/services/",
        f"{API}/services/{service.slug}/",
        f"{API}/directorates/",
        f"{API}/directorates/{service.directorate.slug}/",
        f"{API}/districts/",
        f"{API}/districts/thanet/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json"
    detail = client.get(f"{API}/services/{service.slug}/").json()
    assert detail["name"] == "Libraries"
    assert detail["districts"] == [{"slug": "thanet", "name": "Thanet"}]
    assert detail["open_for_bids"] is True
    assert detail["web_url"] == f"http://testserver/services/{service.slug}/"


def test_anonymous_client_reads_published_decisions_only(client):
    published = published_case(organisation__name="Thanet Families Co-op")
    published_case(
        outcome=Outcome.REJECTED, decision__ground="procuring", reference="RTB-2025-0900"
    )
    decided_not_published = DecidedCaseFactory(reference="RTB-2025-0950")
    listing = client.get(f"{API}/decisions/").json()
    references = [d["reference"] for d in listing["results"]]
    assert listing["count"] == 2
    assert published.reference in references
    assert decided_not_published.reference not in references
    detail = client.get(f"{API}/decisions/{published.reference}/").json()
    assert detail == {
        "reference": published.reference,
        "service": {
            "slug": published.service.slug,
            "name": published.service.name,
            "portfolio": published.service.portfolio,
        },
        "bidder": "Thanet Families Co-op",
        "outcome": "accepted",
        "ground": None,
        "reasons": published.decision.reasons,
        "decided_at": detail["decided_at"],
        "published_at": detail["published_at"],
    }
    assert client.get(f"{API}/decisions/RTB-2025-0900/").json()["ground"] == "procuring"
    assert client.get(f"{API}/decisions/{decided_not_published.reference}/").status_code == 404


def test_an_anonymised_case_names_no_bidder_in_decisions(client):
    case = published_case(organisation__name="Named Ltd", anonymised_at=timezone.now())
    body = client.get(f"{API}/decisions/{case.reference}/")
    assert body.json()["bidder"] is None
    assert "Named Ltd" not in body.content.decode()


def test_anonymous_client_is_told_to_authenticate_for_cases(client):
    case = case_in_review()
    for url in (f"{API}/cases/", f"{API}/cases/{case.reference}/"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"
        assert case.reference not in response.content.decode()


@pytest.mark.parametrize("role", [Role.BIDDER, Role.MEMBER])
def test_bidders_and_members_get_nothing_of_cases(client, role):
    own = case_in_review()
    other = case_in_review(title="Another organisation's bid")
    user = UserFactory(role=role, organisation=own.organisation if role == Role.BIDDER else None)
    client.force_login(user)
    urls = [f"{API}/cases/", f"{API}/cases/{own.reference}/", f"{API}/cases/{other.reference}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert other.reference not in response.content.decode()
        assert "Another organisation" not in response.content.decode()


def test_a_bidder_with_a_token_gets_nothing_of_cases(client):
    """Tokens are issued only to officers; even one made by hand opens nothing to a bidder."""
    case = case_in_review()
    bidder = UserFactory(role=Role.BIDDER)
    token = Token.objects.create(user=bidder)
    response = client.get(f"{API}/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403
    assert case.reference not in response.content.decode()


def test_a_reviewer_reads_only_the_cases_they_are_cleared_for(
    client, reviewer, commissioning_officer
):
    cleared = case_in_review(organisation__name="Blind Bidders CIC")
    open_review = case_in_review(organisation__name="Open Bidders Ltd", blind_review=False)
    recused = case_in_review()
    undeclared = case_in_review()
    not_assigned = case_in_review()
    assign(cleared, reviewer, by=commissioning_officer)
    assign(open_review, reviewer, by=commissioning_officer)
    assign(recused, reviewer, by=commissioning_officer, interest=True)
    assign(undeclared, reviewer, by=commissioning_officer, interest=None)
    client.force_login(reviewer)

    listing = client.get(f"{API}/cases/").json()
    assert sorted(c["reference"] for c in listing["results"]) == sorted(
        [cleared.reference, open_review.reference]
    )
    for case in (recused, undeclared, not_assigned):
        assert client.get(f"{API}/cases/{case.reference}/").status_code == 404
    blind = client.get(f"{API}/cases/{cleared.reference}/")
    assert blind.json()["organisation"] is None
    assert "Blind Bidders CIC" not in blind.content.decode()
    assert client.get(f"{API}/cases/{open_review.reference}/").json()["organisation"] == (
        "Open Bidders Ltd"
    )


@pytest.mark.parametrize("role", [Role.COMMISSIONING_OFFICER, Role.MODERATOR, Role.ADMIN])
def test_officers_read_every_submitted_case_with_its_assessment(client, role):
    case = case_in_review(organisation__name="Kent Care Co-op")
    draft = BusinessCaseFactory(status=Status.DRAFT)
    client.force_login(UserFactory(role=role))
    listing = client.get(f"{API}/cases/").json()
    assert [c["reference"] for c in listing["results"]] == [case.reference]
    detail = client.get(f"{API}/cases/{case.reference}/").json()
    assert detail["organisation"] == "Kent Care Co-op"
    assert detail["status"] == "under_review"
    assert detail["outcome"] is None
    assessment = case.assessments.get()
    assert detail["assessment"]["total"] == "61.0"
    assert detail["assessment"]["recommendation"] == assessment.recommendation
    assert detail["assessment"]["framework"] == str(assessment.framework)
    assert draft.title not in str(listing)


def test_cases_show_the_newest_assessment_and_its_scores(client, commissioning_officer):
    from evaluation.models import Framework

    case = case_in_review()
    current = Framework.objects.current()
    newer = Framework.objects.create(name=current.name, version=current.version + 1)
    score = {
        "key": "cost",
        "title": "Cost",
        "group": "buy",
        "score": 4,
        "weight": "20.00",
        "weighted": "16.00",
        "threshold": 2,
        "passed": True,
        "rule": "saves 12% over the term against the net budget",
        "figures": {"saving": "0.12"},
    }
    AssessmentFactory(case=case, framework=newer, total="80.5", scores=[score])
    client.force_login(commissioning_officer)
    assessment = client.get(f"{API}/cases/{case.reference}/").json()["assessment"]
    assert assessment["total"] == "80.5"
    assert assessment["framework"] == str(newer)
    assert assessment["scores"] == [score]


def test_an_officer_reads_cases_with_a_token_issued_by_the_command(client, capsys):
    case = case_in_review()
    officer = UserFactory(role=Role.COMMISSIONING_OFFICER, email="officer@kent.gov.uk")
    call_command("api_token", "Officer@Kent.gov.uk")
    key = capsys.readouterr().out.strip()
    response = client.get(f"{API}/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == [case.reference]

    call_command("api_token", "officer@kent.gov.uk")  # issuing again rotates
    assert client.get(f"{API}/cases/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    new_key = capsys.readouterr().out.strip()
    call_command("api_token", "officer@kent.gov.uk", "--revoke")
    assert client.get(f"{API}/cases/", HTTP_AUTHORIZATION=f"Token {new_key}").status_code == 401
    assert not Token.objects.filter(user=officer).exists()


def test_an_officer_who_loses_the_role_is_refused_with_their_token(client):
    officer = UserFactory(role=Role.COMMISSIONING_OFFICER)
    token = Token.objects.create(user=officer)
    officer.groups.clear()
    response = client.get(f"{API}/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.BIDDER, Role.MEMBER])
def test_the_command_issues_no_token_to_bidders_or_members(role):
    user = UserFactory(role=role)
    with pytest.raises(CommandError, match="not an officer"):
        call_command("api_token", user.email)
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "Token abc\x00def",
        "Token " + "0" * 39 + "\x00",
        "Token " + "f" * 5000,
        "Token a b",
        "Token \xe2\x80\xae",
        "Token",
        "Bearer " + "0" * 40,
    ],
)
def test_odd_tokens_are_401_never_500(client, header):
    response = client.get(f"{API}/cases/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
