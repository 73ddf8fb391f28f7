from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import OrganisationFactory, UserFactory
from accounts.models import Organisation, User
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
