import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role
from services.districts import KENT_DISTRICTS
from services.models import District, Portfolio, Service

pytestmark = pytest.mark.django_db


def seed(**options):
    # Rendering the decided cases' packs takes seconds: only the test of packs asks for them.
    options.setdefault("without_packs", True)
    call_command("seed_demo", with_users_in_production=True, stdout=io.StringIO(), **options)


def test_seed_demo_loads_legal_services_facts_exactly_from_the_seeds():
    seed()
    legal = Service.objects.get(name="Legal Services")
    assert legal.gross_budget == Decimal("9335200.00")
    assert legal.net_budget == Decimal("8224000.00")
    assert legal.market_review_tranche == 1
    assert legal.delivery_model == "in-house-trading"
    assert legal.figures_illustrative is False


def test_seed_demo_marks_every_other_figure_illustrative():
    seed()
    assert set(
        Service.objects.filter(figures_illustrative=False).values_list("name", flat=True)
    ) == {"Legal Services"}


def test_seed_demo_covers_every_portfolio_all_twelve_districts_and_several_directorates():
    seed()
    assert Service.objects.count() >= 25
    assert set(Service.objects.values_list("portfolio", flat=True)) == set(Portfolio.values)
    served = set(District.objects.filter(services__isnull=False).values_list("name", flat=True))
    assert served == set(KENT_DISTRICTS)
    assert Service.objects.values("directorate").distinct().count() >= 4
    assert Service.objects.open_for_bids().count() >= 10


def test_seed_demo_is_idempotent():
    seed()
    before = (Service.objects.count(), User.objects.count())
    seed()
    assert (Service.objects.count(), User.objects.count()) == before


def test_seed_demo_creates_one_user_per_role_with_the_printed_password():
    seed()
    for role in Role:
        users = User.objects.filter(groups__name=role, email__endswith="kent.gov.uk")
        # Two reviewers, so that a case can be reviewed twice and moderated.
        expected = 2 if role == Role.REVIEWER else 0 if role == Role.BIDDER else 1
        assert users.count() == expected, role
    bidder = User.objects.get(email="bidder@example.org")
    assert bidder.check_password("demo-bidder-2026")
    assert bidder.organisation.name == "Thanet Community Partnership"
    assert User.objects.get(email="reviewer@kent.gov.uk").is_staff


def test_every_demo_user_signs_in_with_the_printed_password(client):
    from kcc_portal.management.commands.seed_demo import DEMO_USERS

    # Someone signed up with a demo address first: the account waits for confirmation.
    User.objects.create_user(
        email="bidder@example.org", is_active=False, awaiting_confirmation=True, full_name="Early"
    )
    seed()

    for _role, email, _name, password in DEMO_USERS:
        response = client.post("/accounts/sign-in/", {"username": email, "password": password})
        assert (response.status_code, response.url) == (302, "/"), email
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)
        client.post("/accounts/sign-out/")


def test_seed_demo_prints_the_passwords(capsys):
    call_command("seed_demo", with_users_in_production=True, without_packs=True)
    out = capsys.readouterr().out
    assert "reviewer@kent.gov.uk" in out
    assert "demo-reviewer-2026" in out


def test_seed_demo_refuses_known_password_users_without_debug(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo")
    assert User.objects.count() == 0
    assert Service.objects.count() >= 25
    assert "Demo users were not created" in capsys.readouterr().err


def test_seed_demo_makes_cases_in_every_state_through_the_workflow_once():
    from bids.models import BusinessCase, Status
    from evaluation.models import Assignment, Consensus, Decision

    seed()
    seed()  # idempotent: nothing is made twice
    statuses = set(BusinessCase.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert BusinessCase.objects.count() == 10
    assert BusinessCase.objects.filter(status__in=["decided", "published"]).count() >= 3
    # Every submitted case was assessed by the machine.
    submitted = BusinessCase.objects.exclude(status=Status.DRAFT)
    assert all(case.assessments.exists() for case in submitted)
    # The demo reviewer has a declaration waiting; a conflict is on the register.
    reviewer = User.objects.get(email="reviewer@kent.gov.uk")
    assert Assignment.objects.filter(reviewer=reviewer, has_interest__isnull=True).exists()
    assert Assignment.objects.filter(has_interest=True).exists()
    assert Consensus.objects.exclude(recorded_at=None).count() >= 3
    published = Decision.objects.exclude(published_at=None)
    assert set(published.values_list("outcome", flat=True)) == {
        "accepted",
        "accepted_with_modification",
        "rejected",
    }
    # The public register is not empty, and shows a bidder who asked not to be named.
    assert published.filter(bidder_name_withheld=True).count() == 1
    # The demo bidder's organisation has cases to follow.
    bidder = User.objects.get(email="bidder@example.org")
    assert set(BusinessCase.objects.visible_to(bidder).values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "published",
    }


def test_seed_demo_gives_the_demo_member_thanet_and_swale_with_email_alerts():
    from members.models import Preference

    seed()
    seed()
    (preference,) = Preference.objects.all()
    assert preference.user.email == "member@kent.gov.uk"
    assert preference.email_when_ready is True
    assert sorted(d.name for d in preference.districts.all()) == ["Swale", "Thanet"]


def test_seed_demo_renders_a_ready_pack_for_each_decided_case_once(settings, tmp_path):
    from bids.models import BusinessCase
    from evaluation.models import DecisionPack

    settings.MEDIA_ROOT = tmp_path
    seed(without_packs=False)
    seed(without_packs=False)  # idempotent: no second version of a ready pack
    decided = BusinessCase.objects.filter(status__in=["decided", "published"])
    assert decided.count() >= 3
    for case in decided:
        assert list(case.packs.values_list("version", "state")) == [(1, DecisionPack.State.READY)]
