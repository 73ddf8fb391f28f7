"""A member's districts and email alerts."""

import re

import pytest
from django.urls import reverse

from members.models import Preference
from services.models import District

pytestmark = pytest.mark.django_db

URL = reverse("members:preferences")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def checkboxes(response) -> dict[str, list[str]]:
    """Each checkbox's name and value as "name=value", split into those ticked and not."""
    found = {"ticked": [], "not ticked": []}
    for tag in re.findall(r"<input[^>]*>", response.content.decode()):
        if 'type="checkbox"' in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            value = re.search(r'value="([^"]*)"', tag)
            key = "ticked" if re.search(r"\schecked\b", tag) else "not ticked"
            found[key].append(f"{name}={value.group(1) if value else ''}")
    return found


def ids(*names):
    return [str(District.objects.get(name=n).pk) for n in names]


def test_the_form_offers_the_twelve_districts_as_checkboxes(signed_in):
    response = signed_in.get(URL)
    boxes = checkboxes(response)
    assert boxes["ticked"] == []
    assert len([b for b in boxes["not ticked"] if b.startswith("districts=")]) == 12
    html = response.content.decode()
    assert "Folkestone and Hythe" in html
    assert "Email me when a decision pack is ready" in html


def test_a_member_saves_their_districts_and_alerts(signed_in, member):
    response = signed_in.post(
        URL, {"districts": ids("Thanet", "Swale"), "email_when_ready": "on"}, follow=True
    )

    assert response.redirect_chain == [(URL, 302)]
    assert "Your preferences have been saved" in response.content.decode()
    preference = Preference.objects.get(user=member)
    assert preference.email_when_ready is True
    assert sorted(d.name for d in preference.districts.all()) == ["Swale", "Thanet"]
    # shown again as saved
    assert sorted(checkboxes(response)["ticked"]) == sorted(
        [f"districts={pk}" for pk in ids("Thanet", "Swale")] + ["email_when_ready="]
    )


def test_saving_again_changes_the_same_preferences(signed_in, member):
    signed_in.post(URL, {"districts": ids("Thanet"), "email_when_ready": "on"})
    signed_in.post(URL, {"districts": ids("Dover")})
    preference = Preference.objects.get(user=member)
    assert [d.name for d in preference.districts.all()] == ["Dover"]
    assert preference.email_when_ready is False


def test_alerts_without_a_district_ask_for_one(signed_in, member):
    response = signed_in.post(URL, {"email_when_ready": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select at least one district, or untick" in html
    assert "<title>Error: Your districts and email alerts" in html
    assert not Preference.objects.filter(user=member).exists()


def test_a_district_that_does_not_exist_is_an_error_not_a_crash(signed_in, member):
    response = signed_in.post(URL, {"districts": ["999999", "abc", "\x00"]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Preference.objects.filter(user=member).exists()
