"""A voluntary group's whole journey in Chromium, with axe run on every page along the way
(the steps are in bids/tests/journeys.py: the whole-story test takes them too)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from bids.tests import journeys
from services.factories import ServiceFactory

pytestmark = pytest.mark.browser


def test_a_group_signs_up_writes_and_submits_a_business_case(
    page, site, check, tmp_path, settings, mailoutbox
):
    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory(
        name="Day Services for Older People",
        net_budget=Decimal("3600000"),
        gross_budget=Decimal("4100000"),
    )
    case = journeys.a_group_signs_up_writes_and_submits(
        page, site.url, check, mailoutbox, tmp_path, service
    )
    assert case.service == service
    expect(page.get_by_text("Being assessed")).to_be_visible()  # no worker runs here
