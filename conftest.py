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
def as_user(page, signed_in_page):
    """Signs the browser in as `user`, in place of whoever was signed in."""

    def sign_in(user):
        page.context.clear_cookies()
        return signed_in_page(user)

    return sign_in


@pytest.fixture
def check(page, assert_no_axe_violations):
    """Asserts the page's <h1>, then runs axe on it (no violations at all)."""
    from playwright.sync_api import expect

    def check_page(heading: str):
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_no_axe_violations(page)

    return check_page


@pytest.fixture
def check_in(assert_no_axe_violations):
    """The same as `check`, on the page given (for tests with more than one page)."""
    from playwright.sync_api import expect

    def check_page(page, heading: str):
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_no_axe_violations(page)

    return check_page


@pytest.fixture
def admin_check(page):
    """axe on an admin page: no serious or critical violation (the Django admin's own markup
    has minor ones we do not control)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    from playwright.sync_api import expect

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


@pytest.fixture
def assert_no_axe_violations():
    """Runs axe-core (bundled, offline) on the page and fails listing every violation found."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        # A click that navigates returns before the new page has finished loading: wait for it,
        # or axe may see a half-parsed document (no <main>, no <h1>).
        page.wait_for_load_state("load")
        results = axe.run(page)
        assert results.violations_count == 0, (
            f"axe found violations on {page.url}:\n{results.generate_report()}"
        )

    return check


# --- Real Celery processes -----------------------------------------------------------------------


def _die_with_parent() -> None:
    """Runs in the child before exec: Linux sends it SIGTERM when the test process dies, so a
    pytest killed mid-test (a timeout, Ctrl+C) leaves no worker behind to steal later tasks."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class CeleryProcess:
    """A `celery worker` or `celery beat` subprocess on the test database and the real Redis."""

    def __init__(self, command: list[str], env: dict[str, str], log_path, *, ready):
        import subprocess
        import sys

        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "celery", "-A", "kcc_portal", *command],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        self.wait(ready, what="start")

    def wait(self, condition, *, what: str, timeout: float = 60) -> None:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"The Celery process exited: see {self.log_path}\n{self.log()}")
            if condition():
                return
            time.sleep(0.2)
        pytest.fail(f"The Celery process did not {what} in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        with open(self.log_path) as f:
            return f.read()[-6000:]

    def answers(self) -> bool:
        """Whether this worker is connected to the broker and answering."""
        from kcc_portal.celery import app

        return bool(app.control.ping(destination=[self.name], timeout=0.5))

    def children(self) -> list[int]:
        """The worker's pool processes (the ones that run the tasks)."""
        with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
            return [int(pid) for pid in f.read().split()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def _worker_environment(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a Celery process that sees what the tests see: the test database, not
    the development one, and the same Redis."""
    from django.conf import settings
    from django.db import connection

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.fail(
            "Tests with a real Celery worker need PostgreSQL and Redis: run the README's test "
            "command, or set DATABASE_URL and REDIS_URL."
        )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        # All three, so that a test pointing the settings at its own Redis (`private_redis`)
        # points its workers there too, whatever the surrounding environment says.
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        **extra,
    }


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """Starts real Celery workers for this test (data must be committed for them to see it,
    hence transactional_db); every worker is stopped when the test ends. Keyword arguments are
    extra environment variables for the worker."""
    from kcc_portal.celery import app

    app.control.purge()  # messages left by earlier tests would run against other data
    processes: list[CeleryProcess] = []

    def start(**env) -> CeleryProcess:
        import socket

        # A name of its own, so that only this worker's answer counts as "ready".
        name = f"test-{os.getpid()}-{len(processes)}@{socket.gethostname()}"
        worker = CeleryProcess(
            [
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                f"--hostname={name}",
            ],
            _worker_environment(env),
            tmp_path / f"worker-{len(processes)}.log",
            ready=lambda: bool(app.control.ping(destination=[name], timeout=0.5)),
        )
        worker.name = name
        processes.append(worker)
        return worker

    yield start
    for process in processes:
        process.stop()


@pytest.fixture
def start_beat(transactional_db, tmp_path):
    """Starts a real `celery beat` with the production scheduler; stopped when the test ends."""
    processes: list[CeleryProcess] = []

    def start(**env) -> CeleryProcess:
        log_path = tmp_path / "beat.log"
        beat = CeleryProcess(
            [
                "beat",
                "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
                "--loglevel=INFO",
                f"--pidfile={tmp_path / 'beat.pid'}",
            ],
            _worker_environment(env),
            log_path,
            ready=lambda: "beat: Starting" in log_path.read_text(),
        )
        processes.append(beat)
        return beat

    yield start
    for process in processes:
        process.stop()


# --- A Redis of the test's own -------------------------------------------------------------------


def redis_answers(url: str) -> bool:
    """Whether the Redis at `url` answers PING within a second."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A `redis-server` child process of this test run, on a free port, with its own directory and
    no persistence. Stopped by its own PID, so stopping it touches no other Redis."""

    def __init__(self, directory):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.fail(
                "redis-server not found: the README's test command installs Debian's redis-server."
            )
        self.directory = directory
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self) -> None:
        """Starts the server on its port (the same port every time) and waits for PING."""
        import subprocess
        import time

        assert self.proc is None or self.proc.poll() is not None, "already running"
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.directory / "redis.log"),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # a killed pytest leaves no Redis behind
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"redis-server exited on port {self.port}:\n{self.log()}")
            if redis_answers(self.url):
                return
            time.sleep(0.05)
        pytest.fail(f"redis-server did not answer on port {self.port} in 10s:\n{self.log()}")

    def stop(self) -> None:
        """Stops this server (SIGTERM to its PID, SIGKILL if it lingers) and waits for it."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()

    def answers(self) -> bool:
        return redis_answers(self.url)

    def log(self) -> str:
        path = self.directory / "redis.log"
        return path.read_text()[-3000:] if path.exists() else "(no log)"


class RedisWatch:
    """Pings a Redis twice a second in a background thread and remembers every answer: proof that
    the shared Redis kept answering while a test stopped its own."""

    def __init__(self, url: str):
        import threading

        self.url = url
        self.answers: list[bool] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="redis-watch", daemon=True)
        self._thread.start()

    def ping(self) -> bool:
        """Pings now, remembers the answer and returns it."""
        answered = redis_answers(self.url)
        self.answers.append(answered)
        return answered

    def _run(self) -> None:
        while not self._stop.is_set():
            self.ping()
            self._stop.wait(0.5)

    def stop(self) -> list[bool]:
        self._stop.set()
        self._thread.join(timeout=5)
        self.ping()
        return self.answers


def _drop_celery_connections(app) -> None:
    """Forgets the Celery app's pooled broker connections, producers and result backend, so that
    the next use connects to whatever `app.conf` names now."""
    from kombu import pools

    # Kombu keeps its pools in a registry keyed by URL: close and forget them all (as kombu does
    # in a forked child), then make the app forget its own references (as Celery._after_fork).
    pools.reset()
    app._pool = None
    if "amqp" in vars(app):
        app.amqp._producer_pool = None
    backend = vars(app._local).pop("backend", None)  # the Redis result backend is per thread
    if backend is not None:
        backend.client.connection_pool.disconnect()
    app._backend_cache = None


@pytest.fixture
def private_redis(settings, tmp_path_factory):
    """A Redis of this test's own, which the test may stop and start as it likes. For the length
    of the test it is the Celery broker and result backend and the Django cache of the test
    process, and of the workers and beat started by `start_worker` and `start_beat` (request this
    fixture before those). The shared Redis of settings.REDIS_URL is pinged throughout; the
    fixture fails if it ever stopped answering. Stopped by its PID at the end, whatever happens."""
    from kcc_portal.celery import app

    shared = settings.REDIS_URL
    if not shared or not redis_answers(shared):
        pytest.fail(
            f"The shared Redis ({shared or 'REDIS_URL unset'}) must be running for this test: "
            "run the README's test command, or set REDIS_URL."
        )
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.shared_url = shared
    server.shared_watch = RedisWatch(shared)
    keys = ("broker_url", "result_backend")
    before = {k: app.conf.changes[k] for k in keys if k in app.conf.changes}
    try:
        server.start()
        settings.REDIS_URL = server.url
        settings.CELERY_BROKER_URL = server.url
        settings.CELERY_RESULT_BACKEND = server.url
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
        # The app reads CELERY_* through the settings but keeps pooled connections and a result
        # backend made from the old URLs: drop them. The URLs are also set on app.conf itself, so
        # this holds even if celery.py ever sets them there; what it had is restored afterwards.
        _drop_celery_connections(app)
        app.conf.update(broker_url=server.url, result_backend=server.url)
        yield server
    finally:
        _drop_celery_connections(app)
        for key in keys:
            app.conf.changes.pop(key, None)
        app.conf.update(before)
        server.stop()
        answers = server.shared_watch.stop()
    assert all(answers), f"The shared Redis at {shared} stopped answering during the test"


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
def counts_never_time_out(monkeypatch):
    """An admin list's count stopped by COUNT_TIME_LIMIT_MS adds a query (the planner's
    estimate). On a loaded test machine even a small count can pass 50 ms, which would make the
    tests' query counts depend on the load; the time limit has tests of its own, which set it."""
    from kcc_portal import admin_lists

    monkeypatch.setattr(admin_lists, "COUNT_TIME_LIMIT_MS", 60_000)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher is slow on purpose; tests hash many passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Each test starts with no rate-limit counts. The counts live in the cache, and the tests'
    cache is Redis, whose database they share with the Celery broker: clearing it (FLUSHDB) would
    throw queued tasks away too. So each test counts under a key prefix of its own instead; the
    old counts expire by themselves within the hour."""
    import uuid

    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"
