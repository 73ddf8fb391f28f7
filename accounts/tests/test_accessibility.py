"""axe on the account pages that kcc_portal/tests/test_browser.py does not already visit."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def sign_in_in_browser(page, email, password):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_axe_finds_no_violations_on_a_sign_in_form_with_errors(
    page, site, assert_no_axe_violations
):
    page.goto(site.url + "/accounts/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_no_axe_violations(page)


def test_axe_finds_no_violations_on_the_locked_out_page(
    page, site, bidder, assert_no_axe_violations
):
    page.goto(site.url + "/accounts/sign-in/")
    for _ in range(5):
        sign_in_in_browser(page, bidder.email, "not-the-password")

    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in at the moment")
    assert_no_axe_violations(page)


def test_axe_finds_no_violations_along_the_password_reset_journey(
    page, site, bidder, mailoutbox, assert_no_axe_violations
):
    page.goto(site.url + "/accounts/password-reset/")
    page.get_by_role("button", name="Send reset link").click()
    expect(page).to_have_title(re.compile(r"^Error: Reset your password"))
    assert_no_axe_violations(page)

    page.get_by_label("Email address").fill(bidder.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_no_axe_violations(page)

    (path,) = re.findall(r"/accounts/password-reset/[^/\s]+/[^/\s]+/", mailoutbox[0].body)
    page.goto(site.url + path)
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_title(re.compile(r"^Error: Set a new password"))
    assert_no_axe_violations(page)

    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("Confirm your new password").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_no_axe_violations(page)


def test_axe_finds_no_violations_along_the_sign_up_and_confirmation_journey(
    page, site, mailoutbox, assert_no_axe_violations
):
    page.goto(site.url + "/accounts/sign-up/?next=/services/")
    page.get_by_label("Full name").fill("Sam Sign-Up")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Create a password").fill("a long walk on the beach")
    page.get_by_label("Confirm your password").fill("a long walk on the beach")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("We have sent an email to sam@example.org.")).to_be_visible()
    assert_no_axe_violations(page)

    # Signing in before confirming says what to do, and offers the email again.
    page.goto(site.url + "/accounts/sign-in/")
    sign_in_in_browser(page, "sam@example.org", "a long walk on the beach")
    expect(page.locator(".govuk-error-summary")).to_contain_text("confirm your email address")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="send the confirmation email again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send the confirmation email again")
    page.get_by_role("button", name="Send the email again").click()
    expect(page).to_have_title(re.compile(r"^Error: Send the confirmation email again"))
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("button", name="Send the email again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_no_axe_violations(page)

    first, second = (
        re.search(r"/accounts/confirm/[^/\s]+/[^/\s]+/\S*", mail.body)[0] for mail in mailoutbox
    )
    page.goto(site.url + first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page).to_have_url(site.url + "/services/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your email address is confirmed and you are signed in"
    )

    page.goto(site.url + second)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    assert_no_axe_violations(page)


def test_axe_finds_no_violations_when_removing_a_member(
    signed_in_page, site, assert_no_axe_violations
):
    from accounts.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(name="Swale Youth Trust")
    ann = UserFactory(full_name="Ann Admin", organisation=organisation)
    UserFactory(full_name="Rob Removed", organisation=organisation)
    page = signed_in_page(ann)

    page.goto(site.url + "/accounts/organisation/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Remove Rob Removed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to remove Rob Removed from Swale Youth Trust?"
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Remove Rob Removed").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Rob Removed has been removed from Swale Youth Trust"
    )
    assert_no_axe_violations(page)

    expect(page.get_by_role("link", name=re.compile("^Leave"))).to_have_count(0)  # last member
    page.goto(site.url + f"/accounts/organisation/members/{ann.pk}/remove/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot leave Swale Youth Trust")
    assert_no_axe_violations(page)


def test_axe_finds_no_violations_on_the_too_many_attempts_page(
    signed_in_page, site, settings, bidder, assert_no_axe_violations
):
    settings.RATE_LIMIT_JOIN_ORGANISATION = "1/h"
    page = signed_in_page(bidder)
    page.goto(site.url + "/accounts/organisation/join/")
    for _ in range(2):
        page.get_by_label("Joining code").fill("WRONG234")
        page.get_by_role("button", name="Join organisation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")
    expect(page.get_by_text("You can try again in")).to_be_visible()
    assert_no_axe_violations(page)
