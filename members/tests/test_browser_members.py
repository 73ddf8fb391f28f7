"""An elected member in Chromium: filters decided cases by district, opens one, downloads its
decision pack and chooses their districts; axe runs on every members' page along the way."""

import re

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.roles import Role
from bids.models import Event
from members.factories import DecidedCaseFactory, DecisionPackFactory, pack_bytes
from members.models import Preference
from services.factories import ServiceFactory
from services.models import District

pytestmark = pytest.mark.browser


def test_a_member_filters_by_district_opens_a_case_and_downloads_its_pack(
    signed_in_page, site, check_in, member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    thanet = District.objects.get(name="Thanet")
    youth = DecidedCaseFactory(
        reference="RTB-2026-0001",
        service=ServiceFactory(name="Kent Youth Service", districts=[thanet]),
        decision__reasons="Saves 12% over five years and keeps every centre open.",
    )
    DecisionPackFactory(case=youth, version=1)
    DecisionPackFactory(case=youth, version=2)
    DecidedCaseFactory(
        reference="RTB-2026-0002",
        service=ServiceFactory(
            name="Libraries (Dover)", districts=[District.objects.get(name="Dover")]
        ),
        outcome="rejected",
    )
    page = signed_in_page(member)

    page.goto(site.url + "/")
    page.get_by_role("link", name="Members' area").click()
    check_in(page, "Decided business cases")
    expect(page.get_by_role("link", name="RTB-2026-0002: Libraries (Dover)")).to_be_visible()

    # A date that does not exist: the error summary, and nothing else lost.
    page.get_by_label("Decided on or after").fill("31/2/2026")
    page.get_by_role("button", name="Apply filters").click()
    check_in(page, "Decided business cases")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date decided from as a real date"
    )

    page.get_by_label("Decided on or after").fill("")
    page.get_by_label("District").select_option(label="Thanet")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"district=thanet"))
    check_in(page, "Decided business cases")
    expect(page.get_by_role("link", name="RTB-2026-0002: Libraries (Dover)")).to_have_count(0)

    page.get_by_role("link", name="RTB-2026-0001: Kent Youth Service").click()
    check_in(page, "Kent Youth Service")
    expect(page.get_by_text("Saves 12% over five years")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download the decision pack \(PDF, ")).click()
    download = download_info.value
    assert download.suggested_filename == "RTB-2026-0001-decision-pack-v2.pdf"
    with open(download.path(), "rb") as f:
        assert f.read() == pack_bytes(2)
    event = Event.objects.get(case=youth, kind=Event.Kind.PACK_DOWNLOADED)
    assert (event.actor, event.note.split(" (")[0]) == (member, "Version 2")

    page.get_by_role("link", name="Decided business cases").click()
    page.get_by_role("link", name="Choose your districts and email alerts").click()
    check_in(page, "Your districts and email alerts")
    page.get_by_label("Email me when a decision pack is ready").check()
    page.get_by_role("button", name="Save preferences").click()
    check_in(page, "Your districts and email alerts")  # the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one district")
    page.get_by_label("Thanet").check()
    page.get_by_label("Swale").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your preferences have been saved"
    )
    check_in(page, "Your districts and email alerts")
    preference = Preference.objects.get(user=member)
    assert preference.email_when_ready
    assert sorted(d.name for d in preference.districts.all()) == ["Swale", "Thanet"]


def test_the_page_refusing_an_officer_passes_axe(signed_in_page, site, check_in):
    page = signed_in_page(UserFactory(role=Role.COMMISSIONING_OFFICER))
    response = page.goto(site.url + "/members/")
    assert response.status == 403
    check_in(page, "You cannot use the members’ area")
