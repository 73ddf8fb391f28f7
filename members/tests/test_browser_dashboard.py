"""A member in Chromium opens the pipeline dashboard from the members' area, reads a chart's data
table, downloads the figures as CSV; axe finds nothing on the page. An officer reaches it from
the admin's index."""

import csv
import datetime
import io

import pytest
from playwright.sync_api import expect

from bids.factories import BusinessCaseFactory
from bids.models import Outcome, Status
from evaluation.models import Recommendation
from members.factories import AssessmentFactory, DecidedCaseFactory
from services.factories import ServiceFactory
from services.models import District, Portfolio

pytestmark = pytest.mark.browser

SUBMITTED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cases(db):
    thanet = District.objects.get(name="Thanet")
    adults = ServiceFactory(portfolio=Portfolio.ADULTS, districts=[thanet])
    for outcome, days in ((Outcome.ACCEPTED, 12), (Outcome.REJECTED, 20)):
        DecidedCaseFactory(
            service=adults,
            outcome=outcome,
            submitted_at=SUBMITTED,
            decision__decided_at=SUBMITTED + datetime.timedelta(days=days),
            assessment__recommendation=Recommendation.BUY,
            assessment__whole_life={"cost_in_house": "3000000", "cost_bid": "2500000"},
        )
    waiting = BusinessCaseFactory(
        service=ServiceFactory(portfolio=Portfolio.ZERO_25, county_wide=True),
        status=Status.UNDER_REVIEW,
        submitted_at=SUBMITTED,
    )
    AssessmentFactory(case=waiting, whole_life={"cost_in_house": "1000000", "cost_bid": "1100000"})


def test_a_member_reads_the_dashboard_and_downloads_its_figures(
    signed_in_page, site, member, cases, assert_no_axe_violations
):
    page = signed_in_page(member)
    page.goto(site.url + "/members/")
    page.get_by_role("navigation", name="Members’ area").get_by_role(
        "link", name="Pipeline dashboard"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline dashboard")
    assert_no_axe_violations(page)

    # The chart is an image named by its title; the table beside it holds the same figures.
    expect(page.get_by_role("img", name="Business cases by portfolio")).to_be_visible()
    table = page.get_by_role(
        "table", name="Business cases submitted and not withdrawn, by the portfolio"
    )
    rows = {
        row.get_by_role("rowheader").inner_text(): row.get_by_role("cell").inner_text()
        for row in table.locator("tbody tr").all()
    }
    assert rows == {"0-25": "1", "Adults": "2", "Place-based": "0", "Business capability": "0"}
    cross = page.get_by_role("table", name="Decided cases: the automatic recommendation")
    expect(cross.get_by_role("row", name="BUY")).to_have_text("BUY1012")
    expect(page.get_by_text("16.0 days, over 2 decided cases")).to_be_visible()
    # Two bids save £500,000 each, one costs £100,000 more.
    expect(page.get_by_text("£900,000 (0.3% of the target)")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download every figure on this page (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("right-to-bid-pipeline-")
    with open(download.path(), encoding="utf-8-sig") as f:
        found = {tuple(row[:3]): row[3] for row in csv.reader(io.StringIO(f.read()))}
    assert (
        found["Business cases by portfolio", "Adults", "Cases submitted and not withdrawn"] == "2"
    )
    assert found["Savings by portfolio", "All portfolios", "Saving proposed (£)"] == "900000.00"
    assert found["Time from submission to decision", "Decided cases", "Median days"] == "16.0"


def test_an_officer_reaches_the_dashboard_from_the_admin(
    signed_in_page, site, commissioning_officer, cases, assert_no_axe_violations
):
    page = signed_in_page(commissioning_officer)
    page.goto(site.url + "/admin/")
    page.get_by_role("link", name="Pipeline dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline dashboard")
    expect(page.get_by_role("navigation", name="Members’ area")).to_have_count(0)
    assert_no_axe_violations(page)
