"""Emails to members when a decision pack for one of their districts is ready."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from evaluation.models import DecisionPack
from evaluation.signals import pack_ready
from members import notifications
from members.factories import DecidedCaseFactory, DecisionPackFactory
from members.models import Preference
from services.factories import ServiceFactory
from services.models import District

pytestmark = pytest.mark.django_db


def follower(email, *districts, role=Role.MEMBER, alerts=True, **kwargs):
    user = UserFactory(role=role, email=email, **kwargs)
    preference = Preference.objects.create(user=user, email_when_ready=alerts)
    preference.districts.set(District.objects.filter(name__in=districts))
    return user


@pytest.fixture
def followers(db):
    follower("thanet@kent.gov.uk", "Thanet")
    follower("thanet-and-swale@kent.gov.uk", "Thanet", "Swale")
    follower("swale@kent.gov.uk", "Swale")
    follower("quiet@kent.gov.uk", "Thanet", alerts=False)
    follower("nowhere@kent.gov.uk")
    follower("admin-thanet@kent.gov.uk", "Thanet", role=Role.ADMIN)
    follower("left@kent.gov.uk", "Thanet", is_active=False)
    follower("officer@kent.gov.uk", "Thanet", role=Role.COMMISSIONING_OFFICER)
    follower("bidder@example.org", "Thanet", role=Role.BIDDER)


def pack_for(service, **kwargs):
    case = DecidedCaseFactory(reference="RTB-2026-0042", service=service)
    return DecisionPackFactory(case=case, version=2, **kwargs)


def test_sending_the_signal_emails_the_members_who_follow_the_services_district(
    followers, mailoutbox, settings
):
    settings.SITE_URL = "https://righttobid.kent.gov.uk"
    service = ServiceFactory(
        name="Kent Youth Service", districts=[District.objects.get(name="Thanet")]
    )
    pack = pack_for(service)

    pack_ready.send(sender=DecisionPack, pack_id=pack.pk)

    assert sorted(m.to[0] for m in mailoutbox) == [
        "admin-thanet@kent.gov.uk",
        "thanet-and-swale@kent.gov.uk",
        "thanet@kent.gov.uk",
    ]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    mail = mailoutbox[0]
    assert mail.subject == "Decision pack ready: RTB-2026-0042, Kent Youth Service"
    link = reverse("members:case", kwargs={"public_id": pack.case.public_id})
    assert f"https://righttobid.kent.gov.uk{link}" in mail.body
    assert "version 2" in mail.body


def test_a_county_wide_service_emails_everyone_who_follows_any_district(followers, mailoutbox):
    pack = pack_for(ServiceFactory(county_wide=True))
    assert notifications.pack_ready(pack.pk) == 4
    assert sorted(m.to[0] for m in mailoutbox) == [
        "admin-thanet@kent.gov.uk",
        "swale@kent.gov.uk",
        "thanet-and-swale@kent.gov.uk",
        "thanet@kent.gov.uk",
    ]


def test_a_service_in_two_districts_emails_each_follower_once(followers, mailoutbox):
    both = District.objects.filter(name__in=["Thanet", "Swale"])
    pack = pack_for(ServiceFactory(districts=list(both)))
    notifications.pack_ready(pack.pk)
    addresses = [m.to[0] for m in mailoutbox]
    assert sorted(addresses) == sorted(set(addresses))
    assert "thanet-and-swale@kent.gov.uk" in addresses
    assert len(addresses) == 4


def test_nobody_follows_the_district_so_nobody_is_emailed(followers, mailoutbox):
    pack = pack_for(ServiceFactory(districts=[District.objects.get(name="Dover")]))
    assert notifications.pack_ready(pack.pk) == 0
    assert mailoutbox == []


@pytest.mark.parametrize("state", ["queued", "rendering", "failed"])
def test_a_pack_that_is_not_ready_emails_nobody(followers, mailoutbox, state):
    pack = pack_for(ServiceFactory(county_wide=True), state=state)
    pack_ready.send(sender=DecisionPack, pack_id=pack.pk)
    assert mailoutbox == []


def test_a_pack_that_is_gone_emails_nobody(followers, mailoutbox):
    pack_ready.send(sender=DecisionPack, pack_id=987654321)
    assert mailoutbox == []


def test_a_pack_rendered_for_real_emails_its_followers_once_ready(
    followers, mailoutbox, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The whole path: a decided case's pack is requested and rendered (WeasyPrint, in-process)
    and, once ready, the renderer's signal reaches the members who follow the district."""
    from bids import workflow
    from bids.factories import BusinessCaseFactory
    from bids.models import Outcome, Status
    from evaluation import assessments
    from evaluation.packs import versions

    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory(districts=[District.objects.get(name="Thanet")])
    case = BusinessCaseFactory(complete=True, service=service)
    workflow.submit(case=case, by=case.created_by)
    assessments.assess_case(case.pk)
    officer = UserFactory(role=Role.COMMISSIONING_OFFICER)
    workflow.move(case=case, to=Status.SCREENING, by=officer)
    workflow.move(case=case, to=Status.DECIDED, by=officer, outcome=Outcome.REJECTED)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        pack = versions.request(case=case)
        versions.make(pack.pk)

    assert sorted(m.to[0] for m in mailoutbox) == [
        "admin-thanet@kent.gov.uk",
        "thanet-and-swale@kent.gov.uk",
        "thanet@kent.gov.uk",
    ]
