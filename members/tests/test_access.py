"""Every members' URL and every pack download, for each role and for anonymous visitors."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from bids.models import Event
from members.factories import DecidedCaseFactory, DecisionPackFactory
from members.models import Preference

pytestmark = pytest.mark.django_db


def member_urls(case):
    ids = {"public_id": case.public_id}
    return [
        ("get", reverse("members:list")),
        ("get", reverse("members:list") + "?outcome=accepted"),
        ("get", reverse("members:case", kwargs=ids)),
        ("get", reverse("members:pack", kwargs={**ids, "version": 1})),
        ("get", reverse("members:pack", kwargs={**ids, "version": 2})),  # an earlier version
        ("get", reverse("members:preferences")),
        ("post", reverse("members:preferences")),
    ]


@pytest.fixture
def case(decided):
    DecisionPackFactory(case=decided, version=2)
    return decided


OUTSIDERS = [Role.BIDDER, Role.REVIEWER, Role.COMMISSIONING_OFFICER, Role.MODERATOR]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN])
def test_members_and_admins_reach_every_members_url(client, case, role):
    user = UserFactory(role=role)
    client.force_login(user)
    expected = {"get": 200, "post": 302}  # the preferences saved, then shown again
    for method, url in member_urls(case):
        response = getattr(client, method)(url, {"districts": []} if method == "post" else None)
        assert response.status_code == expected[method], (role, method, url)
    downloads = Event.objects.filter(case=case, kind=Event.Kind.PACK_DOWNLOADED, actor=user)
    assert sorted(downloads.values_list("note", flat=True)) == [
        f"Version 1 (SHA-256 {case.packs.get(version=1).sha256})",
        f"Version 2 (SHA-256 {case.packs.get(version=2).sha256})",
    ]


def test_a_superuser_without_the_admin_group_is_an_administrator(client, case):
    client.force_login(UserFactory(role=None, is_superuser=True, is_staff=True))
    url = reverse("members:case", kwargs={"public_id": case.public_id})
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", OUTSIDERS)
def test_everyone_else_signed_in_gets_403_on_every_members_url(client, case, role):
    user = UserFactory(role=role)
    client.force_login(user)
    for method, url in member_urls(case):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (role, method, url)
        assert "You cannot use the members’ area" in response.content.decode()
        assert "Content-Disposition" not in response
    assert not Event.objects.filter(kind=Event.Kind.PACK_DOWNLOADED).exists()
    assert not Preference.objects.exists()


def test_the_bidder_whose_case_it_is_gets_403_too(client, case):
    client.force_login(case.created_by)
    for method, url in member_urls(case):
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_is_sent_to_sign_in_and_back_from_every_members_url(client, case):
    sign_in = reverse("accounts:sign-in")
    for method, url in member_urls(case):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(f"{sign_in}?next=/members/"), url
    assert not Event.objects.filter(kind=Event.Kind.PACK_DOWNLOADED).exists()


def test_anonymous_learns_nothing_of_which_cases_exist(client, case):
    real = client.get(reverse("members:case", kwargs={"public_id": case.public_id}))
    made_up = client.get(
        reverse("members:case", kwargs={"public_id": "00000000-0000-4000-8000-000000000000"})
    )
    assert (real.status_code, made_up.status_code) == (302, 302)


# --- What a member cannot reach ------------------------------------------------------------------


@pytest.fixture
def signed_in_member(client, member):
    client.force_login(member)
    return client


@pytest.mark.parametrize("status", ["draft", "submitted", "screening", "moderation", "withdrawn"])
def test_a_case_not_decided_is_not_found(signed_in_member, status):
    case = DecidedCaseFactory(status=status)
    DecisionPackFactory(case=case, version=1)
    ids = {"public_id": case.public_id}
    assert signed_in_member.get(reverse("members:case", kwargs=ids)).status_code == 404
    pack = reverse("members:pack", kwargs={**ids, "version": 1})
    assert signed_in_member.get(pack).status_code == 404
    assert not Event.objects.filter(kind=Event.Kind.PACK_DOWNLOADED).exists()


@pytest.mark.parametrize("state", ["queued", "rendering", "failed"])
def test_a_pack_that_is_not_ready_is_not_found(signed_in_member, decided, state):
    DecisionPackFactory(case=decided, version=2, state=state)
    url = reverse("members:pack", kwargs={"public_id": decided.public_id, "version": 2})
    assert signed_in_member.get(url).status_code == 404


def test_another_cases_pack_is_not_found_under_this_case(signed_in_member, decided):
    other = DecidedCaseFactory()
    DecisionPackFactory(case=other, version=7)
    url = reverse("members:pack", kwargs={"public_id": decided.public_id, "version": 7})
    assert signed_in_member.get(url).status_code == 404


def test_a_pack_whose_file_is_missing_is_not_found_and_not_recorded(signed_in_member, decided):
    pack = decided.packs.get()
    pack.file.storage.delete(pack.file.name)
    url = reverse("members:pack", kwargs={"public_id": decided.public_id, "version": 1})
    assert signed_in_member.get(url).status_code == 404
    assert not Event.objects.filter(kind=Event.Kind.PACK_DOWNLOADED).exists()


def test_cases_are_found_by_public_id_never_by_number(signed_in_member, decided):
    response = signed_in_member.get(f"/members/cases/{decided.pk}/")
    assert response.status_code == 404


# --- Navigation ----------------------------------------------------------------------------------


def nav_labels(response):
    return [item["label"] for item in response.context["navigation"]]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN])
def test_the_navigation_offers_the_members_area_to_members_and_admins(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("home"))
    assert "Members' area" in nav_labels(response)
    assert 'href="/members/"' in response.content.decode()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_the_navigation_hides_the_members_area_from_everyone_else(client, role):
    client.force_login(UserFactory(role=role))
    assert "Members' area" not in nav_labels(client.get(reverse("home")))


def test_the_navigation_hides_the_members_area_from_anonymous_visitors(client):
    assert "Members' area" not in nav_labels(client.get(reverse("home")))
