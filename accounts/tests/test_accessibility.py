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
