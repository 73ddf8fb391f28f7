"""A resident browses the catalogue in Chromium: filters by district, then opens a service."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from services.factories import ServiceFactory
from services.models import District

pytestmark = pytest.mark.browser


def test_resident_filters_the_catalogue_by_district_and_opens_a_service(
    page, site, assert_no_axe_violations
):
    thanet = District.objects.get(name="Thanet")
    dover = District.objects.get(name="Dover")
    ServiceFactory(
        name="Day Services for Older People",
        districts=[thanet],
        net_budget=Decimal("3600000"),
        gross_budget=Decimal("4100000"),
    )
    ServiceFactory(name="Libraries (Dover)", districts=[dover])

    page.goto(site.url + "/services/")
    expect(page.get_by_role("link", name="Libraries (Dover)")).to_be_visible()
    page.get_by_label("District").select_option(label="Thanet")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"district=thanet"))
    expect(page.get_by_role("link", name="Day Services for Older People")).to_be_visible()
    expect(page.get_by_role("link", name="Libraries (Dover)")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Day Services for Older People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Day Services for Older People")
    expect(page.get_by_text("£3,600,000")).to_be_visible()
    assert_no_axe_violations(page)
