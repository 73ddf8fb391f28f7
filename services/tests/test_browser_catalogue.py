"""A resident browses the catalogue in Chromium: filters by district, then opens a service."""

from decimal import Decimal

import pytest

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
    assert page.get_by_role("link", name="Libraries (Dover)").is_visible()
    page.get_by_label("District").select_option(label="Thanet")
    page.get_by_role("button", name="Apply filters").click()

    assert "district=thanet" in page.url
    assert page.get_by_role("link", name="Day Services for Older People").is_visible()
    assert page.get_by_role("link", name="Libraries (Dover)").count() == 0
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Day Services for Older People").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Day Services for Older People"
    assert page.get_by_text("£3,600,000").is_visible()
    assert_no_axe_violations(page)
