"""The portal in a real browser: GOV.UK styles load, and axe finds nothing on the public pages."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from services.factories import ServiceFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_govuk_styles_and_fonts_load_in_the_browser(page, site):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(site.url + "/")
    page.evaluate("document.fonts.ready")

    header = page.locator(".govuk-header")
    # GOV.UK brand blue (rebranded header) and the GDS Transport typeface: only true if the
    # compiled stylesheet and its font files were served.
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(29, 112, 184)"
    font = page.locator("h1").evaluate("e => getComputedStyle(e).fontFamily")
    assert font.startswith('"GDS Transport"')
    assert page.evaluate("document.fonts.check('bold 48px \"GDS Transport\"')")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('GDS Transport') && f.status === 'loaded')"
    )
    # GOV.UK Frontend's JavaScript ran (it marks the body once initialised).
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    assert failed == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home.png", full_page=True)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services/",
        "/accounts/sign-in/",
        "/accounts/sign-up/",
        "/accessibility/",
        "/how-business-cases-are-assessed/",
    ],
)
def test_axe_finds_no_violations_on_public_pages(page, site, path, assert_no_axe_violations):
    ServiceFactory.create_batch(3)
    page.goto(site.url + path)
    assert_no_axe_violations(page)


def test_axe_finds_no_violations_on_a_service_detail_page(page, site, assert_no_axe_violations):
    service = ServiceFactory(name="Legal Services")
    page.goto(site.url + service.get_absolute_url())
    assert_no_axe_violations(page)


def test_axe_finds_no_violations_on_a_sign_up_form_with_errors(
    page, site, assert_no_axe_violations
):
    page.goto(site.url + "/accounts/sign-up/")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
