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
def signed_in_page(page, site, client):
    """Returns a function that signs `user` in to the browser page by copying a session cookie."""

    def sign_in(user):
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": site.url}])
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


# --- A real Celery worker ------------------------------------------------------------------------


class WorkerProcess:
    """A `celery worker` subprocess on the test database and the real Redis broker."""

    def __init__(self, env: dict[str, str], log_path):
        import subprocess
        import sys

        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kcc_portal",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                f"--hostname=test-{os.getpid()}@%h",
            ],
            env=env,
            stdout=self._log,
            stderr=self._log,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        import time

        from kcc_portal.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"The Celery worker exited: see {self.log_path}\n{self.log()}")
            if app.control.ping(timeout=0.5):
                return
        pytest.fail(f"The Celery worker did not answer in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        with open(self.log_path) as f:
            return f.read()[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def _worker_environment() -> dict[str, str]:
    """The environment of a worker that sees what the tests see: the test database, not the
    development one, and the same Redis."""
    from django.conf import settings
    from django.db import connection

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.fail(
            "Tests with a real Celery worker need PostgreSQL and Redis: run the README's test "
            "command, or set DATABASE_URL and REDIS_URL."
        )

    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "REDIS_URL": settings.REDIS_URL}


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """Starts real Celery workers for this test (data must be committed for them to see it,
    hence transactional_db); every worker is stopped when the test ends."""
    from kcc_portal.celery import app

    app.control.purge()  # messages left by earlier tests would run against other data
    workers: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(_worker_environment(), tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def site(live_server, settings):
    """The live server for browser tests. Static files are served straight from the finders
    (the live server's static handler knows no hashed manifest names), as while developing."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return live_server


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher is slow on purpose; tests hash many passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
