"""A voluntary group's journey in Chromium, as steps that more than one browser test takes.

Sign up and confirm the email address, set up the organisation, start a business case, fill two
sections, leave, come back and find them there, finish the rest, upload a document (with the
progress bar), check the answers, submit and see the reference. `check(heading)` asserts each
page's <h1> and runs axe on it.
"""

import re
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from bids.models import BusinessCase, Document, Status
from bids.tests.files import pdf_bytes

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def a_group_signs_up_writes_and_submits(page, site: str, check, mailoutbox, tmp_path, service):
    """Jo Whitstable signs up, sets up Thanet Care Co-operative and submits a business case for
    `service` (its net budget £3.6m); returns the case."""
    SCREENSHOTS.mkdir(exist_ok=True)
    # Sign up.
    page.goto(site + "/accounts/sign-up/")
    check("Create an account")
    page.get_by_label("Full name").fill("Jo Whitstable")
    page.get_by_label("Email address").fill("jo@thanetcare.org.uk")
    page.get_by_label("Create a password").fill("a long walk on the beach")
    page.get_by_label("Confirm your password").fill("a long walk on the beach")
    page.get_by_role("button", name="Create account").click()
    check("Check your email")
    (mail,) = mailoutbox
    (link,) = re.findall(r"/accounts/confirm/[^/\s]+/[^/\s]+/", mail.body)
    page.goto(site + link)
    check("Confirm your email address")
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your email address is confirmed and you are signed in"
    )

    # Find the service and start.
    page.goto(site + service.get_absolute_url())
    check("Day Services for Older People")
    page.get_by_role("link", name="Start a business case").click()
    check("Your organisation")
    page.get_by_role("link", name="Set up an organisation").click()
    check("Set up your organisation")
    page.get_by_role("button", name="Set up organisation").click()
    check("Set up your organisation")  # the error summary, everything else kept
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the name of the organisation"
    )
    page.get_by_label("Name of the organisation").fill("Thanet Care Co-operative")
    page.get_by_label("Two or more KCC employees").check()
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("Town or city").fill("Margate")
    page.get_by_label("Postcode").fill("CT9 1AA")
    page.get_by_label("Kent district (optional)").select_option(label="Thanet")
    page.get_by_label("Yearly turnover").fill("250,000")
    page.get_by_label("Reserves").fill("40000")
    page.get_by_role("button", name="Set up organisation").click()
    check("Start a business case")
    page.get_by_role("button", name="Start business case").click()
    check("Day Services for Older People: your business case")
    page.screenshot(path=SCREENSHOTS / "task-list.png", full_page=True)

    # Two sections, one saved with its button, the other left to autosave.
    page.get_by_role("link", name="Your proposal").click()
    check("Your proposal")
    page.get_by_role("button", name="Save and continue").click()
    check("Your proposal")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select delivery model")
    page.get_by_label("The whole service").check()
    page.get_by_label("Public-service co-operative").check()
    page.get_by_label("Summary of your proposal").fill("Staff run the day centres as a co-op.")
    page.get_by_role("button", name="Save and continue").click()
    check("your business case")

    page.get_by_role("link", name="Financial case").click()
    check("Financial case")
    page.get_by_label("Contract term in years").fill("2")
    page.get_by_label("Price to KCC in year 1", exact=True).fill("3,300,000")
    page.get_by_label("Price to KCC in year 2", exact=True).fill("3,200,000")
    page.get_by_label("Transition costs").fill("100000")
    expect(page.locator(".app-autosave-status")).to_contain_text("Draft saved at")
    expect(page.locator("#finance-summary")).to_contain_text("£6,600,000")  # 3.3m+3.2m+0.1m
    expect(page.locator("#finance-summary")).to_contain_text("£7,200,000")  # net budget x 2
    page.screenshot(path=SCREENSHOTS / "finance-section.png", full_page=True)

    # Leave, come back: both sections are there.
    page.goto(site + "/")
    page.get_by_role("link", name="Your business cases").click()
    check("Your business cases")
    page.get_by_role("link", name="Day Services for Older People: business case").click()
    expect(page.locator("#proposal-status")).to_have_text("Completed")
    expect(page.locator("#finance-status")).to_contain_text("In progress")
    page.get_by_role("link", name="Financial case").click()
    expect(page.get_by_label("Price to KCC in year 2", exact=True)).to_have_value("3,200,000")
    expect(page.get_by_label("Transition costs")).to_have_value("100000")

    # Finish the financial case and the other sections.
    page.get_by_label("Investment you will make").fill("50000")
    page.get_by_label("Yearly income from selling the service to others").fill("0")
    page.get_by_label("Big Society Fund start-up grant asked for").fill("0")
    page.get_by_label("Working capital available").fill("300000")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#finance-status")).to_have_text("Completed")

    page.get_by_role("link", name="Outcomes").click()
    check("Outcomes")
    for label in [
        "Outcomes for the people who use the service",
        "Social well-being of Kent",
        "Economic well-being of Kent",
        "Environmental well-being of Kent",
        "Customer",
        "Communities",
        "Clout",
        "Cost",
        "Capabilities",
    ]:
        page.get_by_label(label, exact=True).fill(f"{label}: better.")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Delivery and staffing").click()
    check("Delivery and staffing")
    page.get_by_label("How ready are you to run the service?").fill("Ready in six months.")
    page.get_by_label("Key performance indicators").fill("Attendance, satisfaction.")
    page.get_by_label("Number of staff transferring to you (TUPE)").fill("18")
    page.get_by_label("Admitted body status in the Local Government Pension Scheme").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Consortium members and sub-contractors").click()
    check("Consortium members and sub-contractors")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Social value").click()
    check("Social value")
    page.get_by_label("Jobs for Kent residents").fill("20")
    page.get_by_label("Apprenticeships").fill("2")
    page.get_by_label("Volunteering hours each year").fill("1500")
    page.get_by_label(re.compile("Share of spend with Kent")).fill("70")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Risks").click()
    check("Risks")
    page.get_by_label("Risk", exact=True).fill("Rising food costs.")
    page.locator("#id_risks-0-likelihood_2").check()
    page.locator("#id_risks-0-impact_1").check()
    page.get_by_label("How you will manage it").fill("Fixed-price supply contract.")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Declarations").click()
    check("Declarations")
    page.get_by_label(re.compile("true and complete")).check()
    page.get_by_label(re.compile("authorised to submit")).check()
    page.get_by_label(re.compile("officers and elected members will read")).check()
    page.get_by_role("button", name="Save and continue").click()
    check("your business case")

    # A document, through the enhanced upload with its progress bar.
    page.get_by_role("link", name="Supporting documents").click()
    check("Supporting documents")
    plan = tmp_path / "business-plan.pdf"
    plan.write_bytes(pdf_bytes())
    page.get_by_label("Choose a file").set_input_files(plan)
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator("#documents")).to_contain_text("business-plan.pdf")
    check("Supporting documents")
    page.get_by_role("link", name="Back to your business case").first.click()

    # Check and submit.
    page.get_by_role("link", name="Check your answers and submit").click()
    check("Check your answers before you submit")
    expect(page.get_by_text("Public-service co-operative")).to_be_visible()
    page.get_by_role("button", name="Submit business case").click()
    check("Business case submitted")
    page.screenshot(path=SCREENSHOTS / "submitted.png", full_page=True)

    case = BusinessCase.objects.get(organisation__name="Thanet Care Co-operative")
    assert case.status == Status.SUBMITTED
    assert re.fullmatch(r"RTB-\d{4}-0001", case.reference)
    expect(page.locator(".govuk-panel")).to_contain_text(case.reference)
    assert Document.objects.get(case=case).name == "business-plan.pdf"
    assert case.organisation.annual_turnover == Decimal("250000")

    page.get_by_role("link", name="your business case's page").click()
    check("your business case")
    return case
