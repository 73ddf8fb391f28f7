"""The officers' part of a case's journey in Chromium, as steps more than one browser test takes:
screen, assign two reviewers, both declare no interest and score (seeing the machine's score
beside their own), the moderator records a consensus, the officer decides and publishes.
`admin_check(heading)` runs axe on each admin page (no serious or critical violation)."""

from pathlib import Path

from playwright.sync_api import expect

from bids.models import BusinessCase, Status
from evaluation.models import Assignment

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def officers_decide_and_publish(
    page,
    site: str,
    as_user,
    admin_check,
    case,
    *,
    commissioning_officer,
    moderator,
    reviewers,
    mailoutbox,
):
    """Takes the assessed `case` from screening to a published acceptance."""
    SCREENSHOTS.mkdir(exist_ok=True)
    admin = site + "/admin"

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
