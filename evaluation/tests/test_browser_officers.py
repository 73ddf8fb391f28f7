"""The officers' whole journey in Chromium (the steps are in evaluation/tests/journeys.py: the
whole-story test takes them too), then the bidder reads the decision letter. axe runs on every
admin page on the way (no serious or critical violation) and on the bidder's pages (none at
all)."""

import pytest
from playwright.sync_api import expect

from evaluation.tests import journeys

pytestmark = pytest.mark.browser


def test_officers_take_a_case_from_screening_to_a_published_decision(
    page,
    site,
    as_user,
    admin_check,
    assert_no_axe_violations,
    assessed_case,
    commissioning_officer,
    moderator,
    reviewers,
    mailoutbox,
):
    case = assessed_case()
    journeys.officers_decide_and_publish(
        page,
        site.url,
        as_user,
        admin_check,
        case,
        commissioning_officer=commissioning_officer,
        moderator=moderator,
        reviewers=reviewers,
        mailoutbox=mailoutbox,
    )

    # The bidder reads the decision letter, with no score in it.
    as_user(case.created_by)
    page.goto(site.url + case.get_absolute_url())
    expect(page.get_by_role("heading", name="Decision letter")).to_be_visible()
    expect(page.locator("main")).to_contain_text("It saves money and keeps the service local.")
    expect(page.locator("main")).not_to_contain_text(str(case.assessments.get().total))
    assert_no_axe_violations(page)
    page.goto(site.url + "/bids/")
    assert_no_axe_violations(page)
