"""The officers' whole journey in Chromium: screen, assign two reviewers, both declare no interest
and score (seeing the machine's score beside their own), the moderator records a consensus, the
officer decides and publishes, and the bidder reads the decision letter. axe runs on every admin
page on the way (no serious or critical violation) and on the bidder's pages (none at all)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from bids.models import BusinessCase, Status
from evaluation.models import Assignment

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def as_user(page, site, client):
    """Signs the browser in as `user`, in place of whoever was signed in."""

    def sign_in(user):
        page.context.clear_cookies()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": site.url}])
        return page

    return sign_in


@pytest.fixture
def admin_check(page):
    """axe on an admin page: no serious or critical violation (the Django admin's own markup
    has minor ones we do not control)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(heading: str):
        page.wait_for_load_state("load")
        expect(page.locator("#content h1, #content h2").first).to_contain_text(heading)
        results = axe.run(page)
        serious = [
            v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
        ]
        assert not serious, f"axe on {page.url}:\n" + "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in serious
        )

    return check


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
    SCREENSHOTS.mkdir(exist_ok=True)
    case = assessed_case()
    admin = site.url + "/admin"

    # The commissioning officer screens the case.
    as_user(commissioning_officer)
    page.goto(f"{admin}/bids/businesscase/")
    admin_check("Select business case")
    page.get_by_role("link", name=case.reference).click()
    admin_check("View business case")
    page.get_by_role("link", name="Screen").click()
    admin_check(f"Screen {case.reference}")
    page.get_by_label("The finances of the bidder").check()  # the portal could not tell
    page.get_by_label("Pass to review").check()
    page.get_by_role("button", name="Record the screening").click()
    expect(page.locator(".messagelist")).to_contain_text("screened")

    # ... and assigns two reviewers.
    page.get_by_role("link", name="Assign reviewers").click()
    admin_check(f"Assign reviewers to {case.reference}")
    for reviewer in reviewers:
        page.get_by_label(reviewer.full_name).check()
    mailoutbox.clear()
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".messagelist")).to_contain_text("Reviewers assigned")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in reviewers)

    # Each reviewer declares no interest, then scores every criterion.
    for n, reviewer in enumerate(reviewers):
        as_user(reviewer)
        assignment = Assignment.objects.get(case=case, reviewer=reviewer)
        page.goto(f"{admin}/evaluation/assignment/")
        admin_check("Select assignment")
        page.goto(f"{admin}/evaluation/assignment/{assignment.pk}/change/")
        admin_check(f"Declare your interests: {case.reference}")
        expect(page.locator("#content")).not_to_contain_text(case.organisation.name)
        page.get_by_label("No: I have no interest").check()
        page.get_by_role("button", name="Declare").click()
        admin_check(f"Review {case.reference}")
        expect(page.locator("#content")).to_contain_text("Machine's score:")
        if n == 0:
            page.screenshot(path=SCREENSHOTS / "review.png", full_page=True)
        for select in page.locator("select[name^=score_]").all():
            select.select_option(str(2 + 2 * n))
        page.get_by_role("button", name="Submit the review").click()
        expect(page.locator(".messagelist")).to_contain_text("Review submitted")

    # The officer sends it to moderation from the list.
    as_user(commissioning_officer)
    page.goto(f"{admin}/bids/businesscase/")
    page.get_by_label(f"Select this object for an action - {case}").check()
    page.locator("select[name=action]").select_option("move_to_moderation")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 moved to moderation")

    # The moderator records the consensus.
    as_user(moderator)
    page.goto(f"{admin}/bids/businesscase/{case.pk}/moderate/")
    admin_check(f"Moderate {case.reference}")
    expect(page.locator("#content")).to_contain_text("2: wide")
    for select in page.locator("select[name^=score_]").all():
        select.select_option("3")
    for reason in page.locator("textarea[name^=text_]").all():
        reason.fill("Between the two reviewers.")
    page.get_by_role("button", name="Record the consensus").click()
    expect(page.locator(".messagelist")).to_contain_text("Consensus recorded")
    page.screenshot(path=SCREENSHOTS / "moderated-case.png", full_page=True)

    # The officer decides and publishes.
    as_user(commissioning_officer)
    page.goto(f"{admin}/bids/businesscase/{case.pk}/change/")
    page.get_by_role("link", name="Decide").click()
    admin_check(f"Decide {case.reference}")
    page.get_by_label("Accepted: proceed to a full business case").check()
    page.get_by_label("Reasons").fill("It saves money and keeps the service local.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".messagelist")).to_contain_text("recorded")
    page.get_by_role("link", name="Publish the decision").click()
    admin_check(f"Publish the decision on {case.reference}")
    mailoutbox.clear()
    page.get_by_role("button", name="Publish the decision").click()
    expect(page.locator(".messagelist")).to_contain_text("published")
    assert BusinessCase.objects.get(pk=case.pk).status == Status.PUBLISHED
    assert [m.subject for m in mailoutbox] == [
        f"Decision on business case {case.reference}: {case.service}"
    ]

    # The bidder reads the decision letter, with no score in it.
    as_user(case.created_by)
    page.goto(site.url + case.get_absolute_url())
    expect(page.get_by_role("heading", name="Decision letter")).to_be_visible()
    expect(page.locator("main")).to_contain_text("It saves money and keeps the service local.")
    expect(page.locator("main")).not_to_contain_text(str(case.assessments.get().total))
    assert_no_axe_violations(page)
    page.goto(site.url + "/bids/")
    assert_no_axe_violations(page)
