"""Anyone, signed out, in Chromium: finds the register from the footer, filters it, opens a
decision whose bidder asked not to be named, and reads the open-data page; axe runs on each."""

import re

import pytest
from playwright.sync_api import expect

from bids.models import Outcome
from opendata.published import WITHHELD
from opendata.tests.conftest import days_ago
from services.factories import ServiceFactory

pytestmark = pytest.mark.browser


def test_anyone_filters_the_register_and_reads_a_decision(
    page, site, check_in, published_case, rejected_through_the_workflow
):
    published_case(
        reference="RTB-2019-0001",
        service=ServiceFactory(name="Kent Youth Service"),
        outcome=Outcome.ACCEPTED,
        decision__reasons="Saves 12% over five years and keeps every centre open.",
        published_at=days_ago(5),
    )
    parks = rejected_through_the_workflow(
        asks=True, withhold=True, service=ServiceFactory(name="Country Parks")
    )

    page.goto(site.url + "/")
    page.get_by_role("link", name="Register of decisions").click()
    check_in(page, "Register of decisions")
    expect(page.get_by_role("heading", name="2 decisions")).to_be_visible()

    page.get_by_label("Outcome").select_option(label="Rejected on a statutory ground")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"outcome=rejected"))
    check_in(page, "Register of decisions")
    expect(page.get_by_role("link", name="RTB-2019-0001: Kent Youth Service")).to_have_count(0)

    page.get_by_role("link", name=f"{parks.reference}: Country Parks").click()
    check_in(page, "Country Parks")
    expect(page.get_by_text(WITHHELD)).to_be_visible()
    expect(page.get_by_text(parks.organisation.name)).to_have_count(0)
    expect(page.get_by_text("Information in it is materially inadequate")).to_be_visible()

    page.get_by_role("link", name="about the register’s open data").click()
    check_in(page, "Open data: the register of decisions")

    page.goto(site.url + "/decisions/?year=1066")
    check_in(page, "Register of decisions")  # the error summary passes axe too
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a year from the list")
