"""Shared fixtures: a user for each role, and a real Chromium driven by Playwright.

Tests run against whatever DATABASE_URL and REDIS_URL say; the README's test command points them
at real PostgreSQL and Redis. Browsers are never downloaded: Debian's /usr/bin/chromium is used.
"""

import os
import shutil

import pytest

from accounts.factories import UserFactory
from accounts.roles import Role

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is safe (it is: the loop is Playwright's own).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def bidder(db):
    return UserFactory(role=Role.BIDDER, email="bidder@example.org", full_name="Bea Bidder")


@pytest.fixture
def reviewer(db):
    return UserFactory(role=Role.REVIEWER, email="reviewer@kent.gov.uk", full_name="Rae Reviewer")


@pytest.fixture
def commissioning_officer(db):
    return UserFactory(
        role=Role.COMMISSIONING_OFFICER, email="commissioner@kent.gov.uk", full_name="Cam Officer"
    )


@pytest.fixture
def moderator(db):
    return UserFactory(role=Role.MODERATOR, email="moderator@kent.gov.uk", full_name="Mo Moderator")


@pytest.fixture
def member(db):
    return UserFactory(role=Role.MEMBER, email="member@kent.gov.uk", full_name="Cllr Mel Member")


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, email="admin@kent.gov.uk", full_name="Ada Admin")


@pytest.fixture
def user_for_role(db):
    """Makes a user holding the given role: for tests parametrised over every role."""
    return lambda role: UserFactory(role=role)


# --- Browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the test command installs Debian's chromium."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def signed_in_page(page, live_server, client):
    """Returns a function that signs `user` in to the browser page by copying a session cookie."""

    def sign_in(user):
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )
        return page

    return sign_in


@pytest.fixture
def assert_no_axe_violations():
    """Runs axe-core (bundled, offline) on the page and fails listing every violation found."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, (
            f"axe found violations on {page.url}:\n{results.generate_report()}"
        )

    return check
