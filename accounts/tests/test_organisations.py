from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.factories import OrganisationFactory, UserFactory
from accounts.models import Organisation, User
from bids.factories import BusinessCaseFactory
from bids.models import Status
from services.models import District

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Thanet Care Co-operative",
    "body_type": "kcc_employees",
    "registration_number": "",
    "address_line_1": "1 High Street",
    "town": "Margate",
    "postcode": "ct9 1aa",
    "annual_turnover": "£1,250,000",
    "reserves": "80,000",
}


def test_a_bidder_sets_up_an_organisation_and_becomes_its_member(client, bidder):
    client.force_login(bidder)
    thanet = District.objects.get(name="Thanet")
    response = client.post(
        reverse("accounts:organisation-create"), {**VALID, "district": thanet.pk}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.postcode, organisation.district) == (
        "Thanet Care Co-operative",
        "CT9 1AA",
        thanet,
    )
    assert organisation.annual_turnover == Decimal("1250000")
    assert organisation.created_by == bidder
    assert User.objects.get(pk=bidder.pk).organisation == organisation


def test_setting_up_goes_on_to_next_when_it_is_on_this_site(client, bidder):
    client.force_login(bidder)
    response = client.post(
        reverse("accounts:organisation-create"), {**VALID, "next": "/bids/start/legal-services/"}
    )
    assert response["Location"] == "/bids/start/legal-services/"
    other = UserFactory(organisation=None)
    client.force_login(other)
    response = client.post(
        reverse("accounts:organisation-create"), {**VALID, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:organisation")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the name of the organisation"),
        ("postcode", "MARGATE", "Enter a real postcode, like ME14 1XQ"),
        ("registration_number", "12", "Enter a company or charity number in the correct format"),
        ("annual_turnover", "a lot", "Yearly turnover must be an amount of money"),
        ("reserves", "", "Enter reserves, or 0 if there is none"),
    ],
)
def test_bad_organisation_details_say_what_to_fix_and_keep_the_rest(
    client, bidder, field, value, message
):
    client.force_login(bidder)
    response = client.post(reverse("accounts:organisation-create"), {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert "Thanet Care Co-operative" in response.content.decode() or field == "name"
    assert Organisation.objects.count() == 0


def test_a_private_company_must_give_its_company_number(client, bidder):
    client.force_login(bidder)
    response = client.post(
        reverse("accounts:organisation-create"), {**VALID, "body_type": "private_company"}
    )
    assert response.context["form"].errors["registration_number"] == ["Enter the company number"]


def test_a_colleague_joins_with_the_code_in_any_case_and_spacing(client, bidder):
    organisation = OrganisationFactory()
    client.force_login(bidder)
    code = organisation.join_code
    response = client.post(
        reverse("accounts:organisation-join"), {"join_code": f" {code[:4].lower()} {code[4:]}"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=bidder.pk).organisation == organisation


def test_a_wrong_code_joins_nothing(client, bidder):
    client.force_login(bidder)
    response = client.post(reverse("accounts:organisation-join"), {"join_code": "NOPE1234"})
    assert response.context["form"].errors["join_code"] == [
        "There is no organisation with that joining code: check it with your colleague"
    ]
    assert User.objects.get(pk=bidder.pk).organisation is None


def test_a_new_code_stops_the_old_one_working(client):
    organisation = OrganisationFactory()
    member = UserFactory(organisation=organisation)
    old = organisation.join_code
    client.force_login(member)
    client.post(reverse("accounts:organisation-new-code"))
    organisation.refresh_from_db()
    assert organisation.join_code != old
    client.force_login(UserFactory(organisation=None))
    response = client.post(reverse("accounts:organisation-join"), {"join_code": old})
    assert response.status_code == 200


def test_members_see_their_organisation_with_its_code_and_others_do_not(client):
    organisation = OrganisationFactory(name="Swale Youth Trust")
    member = UserFactory(organisation=organisation)
    client.force_login(member)
    page = client.get(reverse("accounts:organisation")).content.decode()
    assert "Swale Youth Trust" in page
    assert organisation.join_code in page
    client.force_login(UserFactory(organisation=None))
    page = client.get(reverse("accounts:organisation")).content.decode()
    assert organisation.join_code not in page
    assert "Join an organisation" in page


def test_a_member_of_an_organisation_cannot_set_up_or_join_another(client):
    member = UserFactory(organisation=OrganisationFactory())
    client.force_login(member)
    assert client.post(reverse("accounts:organisation-create"), VALID).status_code == 302
    assert Organisation.objects.count() == 1


# --- Removing members and leaving ----------------------------------------------------------------


def remove_url(user) -> str:
    return reverse("accounts:organisation-member-remove", kwargs={"user_id": user.pk})


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Swale Youth Trust")


@pytest.fixture
def colleagues(organisation):
    return (
        UserFactory(full_name="Ann Admin", organisation=organisation),
        UserFactory(full_name="Rob Removed", email="rob@example.org", organisation=organisation),
    )


def test_a_member_removes_a_colleague_who_loses_the_cases_at_once(client, organisation, colleagues):
    ann, rob = colleagues
    draft = BusinessCaseFactory(organisation=organisation, created_by=ann)
    submitted = BusinessCaseFactory(
        organisation=organisation,
        created_by=ann,
        status=Status.SUBMITTED,
        reference="RTB-2026-0001",
    )
    rob_client = Client()
    rob_client.force_login(rob)
    assert rob_client.get(draft.get_absolute_url()).status_code == 200
    assert rob_client.get(submitted.get_absolute_url()).status_code == 200
    client.force_login(ann)

    page = client.get(reverse("accounts:organisation")).content.decode()
    assert (
        f'href="{remove_url(rob)}">Remove<span class="govuk-visually-hidden"> Rob Removed' in page
    )
    confirm = client.get(remove_url(rob))
    assert confirm.status_code == 200
    assert "Are you sure you want to remove Rob Removed from Swale Youth Trust?" in (
        confirm.content.decode()
    )
    assert User.objects.get(pk=rob.pk).organisation == organisation  # asking changes nothing
    response = client.post(remove_url(rob))

    assert (response.status_code, response.url) == (302, reverse("accounts:organisation"))
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Rob Removed has been removed from Swale Youth Trust"
    ]
    assert User.objects.get(pk=rob.pk).organisation is None
    # Rob's session is still signed in; the cases are gone from it on the very next request.
    assert rob_client.get(draft.get_absolute_url()).status_code == 404
    assert rob_client.get(submitted.get_absolute_url()).status_code == 404
    (entry,) = LogEntry.objects.filter(object_id=str(organisation.pk))
    assert (entry.user, entry.action_flag) == (ann, CHANGE)
    assert entry.change_message == (
        f"Ann Admin ({ann.email}) removed Rob Removed (rob@example.org) from the organisation"
    )


def test_someone_outside_the_organisation_gets_404_and_removes_nobody(
    client, organisation, colleagues
):
    _, rob = colleagues
    for outsider in (
        UserFactory(organisation=None),
        UserFactory(organisation=OrganisationFactory()),
    ):
        client.force_login(outsider)

        assert client.get(remove_url(rob)).status_code == 404
        assert client.post(remove_url(rob)).status_code == 404

    assert User.objects.get(pk=rob.pk).organisation == organisation
    assert not LogEntry.objects.exists()


def test_a_member_cannot_remove_someone_from_another_organisation(client, colleagues):
    ann, _ = colleagues
    elsewhere = OrganisationFactory()
    stranger, _ = UserFactory.create_batch(2, organisation=elsewhere)
    client.force_login(ann)

    assert client.post(remove_url(stranger)).status_code == 404
    assert User.objects.get(pk=stranger.pk).organisation == elsewhere


def test_a_member_leaves_the_organisation(client, organisation, colleagues):
    ann, rob = colleagues
    client.force_login(rob)

    page = client.get(reverse("accounts:organisation")).content.decode()
    assert f'href="{remove_url(rob)}">Leave<span class="govuk-visually-hidden"> Swale' in page
    assert "Are you sure you want to leave Swale Youth Trust?" in (
        client.get(remove_url(rob)).content.decode()
    )
    response = client.post(remove_url(rob))

    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "You have left Swale Youth Trust"
    ]
    assert User.objects.get(pk=rob.pk).organisation is None
    assert User.objects.get(pk=ann.pk).organisation == organisation
    assert "Join an organisation" in client.get(reverse("accounts:organisation")).content.decode()
    assert LogEntry.objects.get().change_message == (
        "Rob Removed (rob@example.org) left the organisation"
    )


def test_the_last_member_cannot_leave(client, organisation):
    only = UserFactory(organisation=organisation)
    client.force_login(only)

    page = client.get(reverse("accounts:organisation")).content.decode()
    assert remove_url(only) not in page
    assert "You cannot leave Swale Youth Trust" in client.get(remove_url(only)).content.decode()
    response = client.post(remove_url(only))

    assert response.status_code == 302
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "You cannot leave Swale Youth Trust because you are its only member. Invite a colleague "
        "first."
    ]
    assert User.objects.get(pk=only.pk).organisation == organisation


def test_a_new_code_keeps_everyone_who_joined_and_the_page_says_so(
    client, organisation, colleagues
):
    ann, rob = colleagues
    client.force_login(ann)
    page = client.get(reverse("accounts:organisation")).content.decode()
    assert (
        "The old one will stop working for anyone who has not joined yet, but it does not "
        "remove anyone who has already joined: remove them from the members above."
    ) in page

    response = client.post(reverse("accounts:organisation-new-code"))

    assert User.objects.get(pk=rob.pk).organisation == organisation
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "New joining code made: the old one no longer works. Everyone who joined with it is "
        "still a member until you remove them"
    ]
    assert (
        LogEntry.objects.get().change_message == f"Ann Admin ({ann.email}) made a new joining code"
    )


def test_joining_is_recorded_in_the_organisation_history(client, bidder, organisation):
    client.force_login(bidder)

    client.post(reverse("accounts:organisation-join"), {"join_code": organisation.join_code})

    entry = LogEntry.objects.get()
    assert (entry.object_id, entry.user) == (str(organisation.pk), bidder)
    assert entry.change_message == "Bea Bidder (bidder@example.org) joined with the joining code"


def test_organisation_details_with_control_characters_are_saved_without_them(client, bidder):
    client.force_login(bidder)
    response = client.post(
        reverse("accounts:organisation-create"),
        {**VALID, "name": "Thanet\x00 Care\x1f Co-operative", "town": "Mar\x00gate"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.town) == ("Thanet Care Co-operative", "Margate")


def test_a_joining_code_with_a_nul_in_it_still_joins(client, bidder):
    organisation = OrganisationFactory()
    client.force_login(bidder)
    code = organisation.join_code
    response = client.post(
        reverse("accounts:organisation-join"), {"join_code": f"{code[:4]}\x00{code[4:]}"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=bidder.pk).organisation == organisation


def test_control_characters_in_the_organisation_form_are_removed_and_the_user_told(client, bidder):
    client.force_login(bidder)  # a bidder with no organisation yet
    response = client.post(
        reverse("accounts:organisation-create"),
        {
            "name": "Swale\x00 Youth\x07 Trust",
            "body_type": "voluntary",
            "address_line_1": "1 High Street",
            "town": "Sittingbourne",
            "postcode": "ME10 4AA",
            "annual_turnover": "0",
            "reserves": "0",
        },
        follow=True,
    )
    assert Organisation.objects.get().name == "Swale Youth Trust"
    messages = [m.message for m in response.context["messages"]]
    assert any("We removed 2 characters" in m for m in messages), messages
