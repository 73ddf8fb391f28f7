"""Does the portal hold when its processes fail? A fault run, end to end over HTTP.

Starts a stack of its own: a PostgreSQL cluster (initdb in a temporary directory, on a free port),
a Redis (free port, no persistence: a stop loses what was queued, the hard case), gunicorn with
several workers, two Celery workers and Celery beat, every one on that stack and none on the
machine's shared PostgreSQL or Redis. Then, at the same time:
  - bidders (one client thread each) sign in and write and submit business cases over HTTP, every
    section posted as a browser posts it (500 cases by default);
  - decision packs are asked for, one every few seconds, for 50 decided cases made beforehand;
  - faults: a worker's pool process is SIGKILLed every 20 s, Redis is stopped for 30 s, and
    PostgreSQL is restarted once.
When the bidders are done it waits (bounded) for the workers and the beat sweeps to finish the
work, then prints: submitted / stored / assessed / assessed twice / packs ready / packs failed /
HTTP 5xx / requests that hung, with the 503s answered while the database restarted counted
apart. The bar: 500 / 500 / 500 / 0 / 50 / 0 / 0 / 0. Exits 1 if it is missed.

Every loop is bounded in count and in time; everything started is stopped by its PID (the
PostgreSQL cluster through pg_ctl on its own data directory) and its directory removed.

Needs PostgreSQL's server binaries (Debian's postgresql package) and redis-server; run as root it
runs PostgreSQL as the `postgres` user. Takes about eight minutes:
    .venv/bin/python bench/faults.py            # --cases 500 --packs 50 by default
"""

import argparse
import glob
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcc_portal.settings")

PASSWORD = "fault-run-password-2026"  # noqa: S105 - the run's own throwaway bidders
REQUEST_TIMEOUT = 30  # a request that takes longer is counted as hung
STEP_ATTEMPTS = 40  # a step retried after a 503, a refused connection or a hang, at most this often
RETRY_PAUSE = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, up: bool, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if (s.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'} in {within} s")


# --- The stack ----------------------------------------------------------------------------------


class Postgres:
    """A cluster of our own in `directory`, trust authentication, on `port`."""

    def __init__(self, directory: Path, port: int):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            sys.exit("PostgreSQL's server binaries are not installed (Debian: postgresql).")
        self.bin = Path(found[-1]).parent
        self.data, self.port = directory / "data", port
        self.log = directory / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        directory.mkdir(parents=True)
        if self.as_user:
            shutil.chown(directory, "postgres")

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL)

    def init(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "kcc", "--auth=trust")
        self.start()
        self.run(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "kcc",
            "kcc_faults",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c max_connections=200"
        )
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def restart(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.start()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://kcc@127.0.0.1:{self.port}/kcc_faults"


class Redis:
    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, up=True, within=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Processes:
    """Every process started here, stopped by its PID at the end."""

    def __init__(self, env: dict):
        self.env, self.started = env, {}

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(Path(self.env["FAULTS_DIR"]) / f"{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        self.started[name] = process
        return process

    def stop_all(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                process.terminate()
        for process in self.started.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def children(pid: int) -> list[int]:
    found = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        with open(path) as f:
            found += [int(p) for p in f.read().split()]
    return found


# --- The bidders --------------------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.latencies = []

    def add(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] += n


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # redirects are followed by Bidder.request, so each hop is counted


class Bidder:
    """One person in a browser: a cookie jar, the CSRF token, and patience for a 503."""

    def __init__(self, base: str, email: str, tally: Tally):
        self.base, self.email, self.tally = base, email, tally
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def once(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """One request, redirects followed; returns (status, final path, body)."""
        for _hop in range(10):
            body = None
            if data is not None:
                body = urllib.parse.urlencode(
                    {**data, "csrfmiddlewaretoken": self.csrf()}, doseq=True
                ).encode()
            request = urllib.request.Request(  # noqa: S310 - our own http:// server
                self.base + path, data=body, method=method, headers={"Referer": self.base + path}
            )
            started = time.monotonic()
            try:
                with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                    status, text, location = response.status, response.read().decode(), None
            except urllib.error.HTTPError as e:
                status, text = e.code, e.read().decode(errors="replace")
                location = e.headers.get("Location")
            with self.tally.lock:
                self.tally.latencies.append(time.monotonic() - started)
            self.tally.add("requests")
            if status in (301, 302, 303) and location:
                path, method, data = urllib.parse.urlsplit(location).path, "GET", None
                continue
            return status, path, text
        raise RuntimeError(f"too many redirects from {path}")

    def step(self, method: str, path: str, data: dict | None = None) -> tuple[str, str]:
        """A request the person repeats until it goes through, as they would after a "try again
        in a moment" page; the 503s, errors and hangs on the way are counted."""
        for _attempt in range(STEP_ATTEMPTS):
            try:
                status, final, text = self.once(method, path, data)
            except TimeoutError:
                self.tally.add("hung")
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
                self.tally.add("connection refused or reset")
            else:
                if status < 400:
                    return final, text
                if status == 503:
                    self.tally.add("503 while the database restarted")
                elif status >= 500:
                    self.tally.add("5xx")
                    self.tally.add(f"HTTP {status} on {re.sub(r'[0-9a-f-]{36}', '<id>', path)}")
                else:
                    raise RuntimeError(f"{method} {path} answered {status}")
            time.sleep(RETRY_PAUSE)
        raise RuntimeError(f"{method} {path} did not go through in {STEP_ATTEMPTS} attempts")

    def sign_in(self) -> None:
        self.step("GET", "/accounts/sign-in/")
        final, _ = self.step(
            "POST", "/accounts/sign-in/", {"username": self.email, "password": PASSWORD}
        )
        if final.startswith("/accounts/sign-in"):
            raise RuntimeError(f"{self.email} could not sign in")

    def write_and_submit(self, service, answers: dict) -> bool:
        start = f"/bids/start/{service.slug}/"
        self.step("GET", start)
        final, _ = self.step("POST", start, {})
        case_path = re.match(r"^/bids/[0-9a-f-]{36}/", final)
        if case_path is None:
            raise RuntimeError(f"starting a case on {service.slug} ended on {final}")
        for key, data in answers.items():
            self.step("POST", f"{case_path[0]}sections/{key}/", {**data, "action": "continue"})
        final, _ = self.step("POST", f"{case_path[0]}submit/", {})
        return final.endswith("/submitted/")


# --- The run ------------------------------------------------------------------------------------


def prepare(args) -> tuple[list, list, list]:
    """Demo catalogue and officers, the bidders, and the decided cases whose packs are asked for
    during the run (their packs from the decision are removed, so that they render in the run)."""
    from dataclasses import replace
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts.models import Organisation, User
    from accounts.roles import Role
    from bids.models import Status
    from evaluation.models import DecisionPack
    from kcc_portal.demo import cases
    from services.models import Service

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--with-users-in-production", "--without-packs", verbosity=0)
    open_services = [s for s in Service.objects.order_by("name") if s.is_open_for_bids()]
    bidders = []
    for n in range(args.bidders):
        organisation = Organisation.objects.create(
            name=f"Fault run bidder {n + 1}",
            body_type=Organisation.BodyType.SOCIAL_ENTERPRISE,
            address_line_1="1 High Street",
            town="Maidstone",
            postcode="ME14 1XQ",
            annual_turnover=Decimal("2500000"),
            reserves=Decimal("400000"),
        )
        user = User.objects.create_user(
            f"faults-{n + 1}@example.org",
            PASSWORD,
            full_name=f"Bidder {n + 1}",
            organisation=organisation,
        )
        user.groups.add(Group.objects.get(name=Role.BIDDER))
        bidders.append(user.email)
    users = {u.email: u for u in User.objects.filter(email__endswith="@kent.gov.uk")}
    officers = cases.Officers(
        commissioning=users["commissioning@kent.gov.uk"],
        moderator=users["moderator@kent.gov.uk"],
        reviewers=(users["reviewer@kent.gov.uk"], users["reviewer2@kent.gov.uk"]),
    )
    template = next(c for c in cases.CASES if c.outcome)
    decided = []
    for n in range(args.packs):
        spec = replace(template, title=f"Fault run decided case {n + 1}", reaches=Status.DECIDED)
        decided.append(cases._make(spec, bidder=users["admin@kent.gov.uk"], officers=officers))
    DecisionPack.objects.filter(case__in=decided).delete()
    from kcc_portal.celery import app

    app.control.purge()  # the decisions' own pack messages: these packs are asked for in the run
    return open_services, bidders, decided


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500, help="business cases submitted")
    parser.add_argument("--packs", type=int, default=50, help="decision packs rendered")
    parser.add_argument("--bidders", type=int, default=10, help="bidders submitting at once")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--kill-every", type=float, default=20.0, help="seconds between kills")
    parser.add_argument("--redis-down-at", type=float, default=45.0)
    parser.add_argument("--redis-down-for", type=float, default=30.0)
    parser.add_argument("--postgres-restart-at", type=float, default=110.0)
    parser.add_argument("--wait", type=float, default=600.0, help="most seconds to wait after")
    parser.add_argument("--keep", action="store_true", help="keep the run's directory (logs)")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="kcc-faults-"))
    os.chmod(directory, 0o755)  # noqa: S103 - the postgres user must reach its directory
    postgres = Postgres(directory / "postgres", free_port())
    redis = Redis(free_port())
    web_port = free_port()
    env = {
        **os.environ,
        "FAULTS_DIR": str(directory),
        "DATABASE_URL": postgres.url,
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "dummymail://",
        "MEDIA_ROOT": str(directory / "media"),
        "LOG_LEVEL": "WARNING",
        # Sweeps on a short clock, so the run sees them work; the render limits shortened to
        # match (the sweep must wait longer than a render may take).
        "ASSESSMENT_SWEEP_INTERVAL_SECONDS": "10",
        "ASSESSMENT_SWEEP_AFTER_SECONDS": "30",
        "PACK_SWEEP_INTERVAL_SECONDS": "10",
        "PACK_RENDER_SOFT_TIME_LIMIT": "50",
        "PACK_RENDER_TIME_LIMIT": "60",
        "PACK_SWEEP_AFTER_SECONDS": "75",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "MEDIA_ROOT")})
    processes = Processes(env)
    try:
        postgres.init()
        redis.start()
        report = run(args, env, processes, postgres, redis, web_port)
    finally:
        processes.stop_all()
        redis.stop()
        postgres.stop()
        if args.keep:
            print(f"logs kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    sys.exit(0 if report else 1)


def run(args, env, processes, postgres, redis, web_port) -> bool:
    import django

    django.setup()
    from django.db import close_old_connections, connection

    from bids.models import BusinessCase, Event
    from evaluation.models import Assessment, DecisionPack
    from evaluation.packs import versions
    from kcc_portal.demo import cases

    print(f"preparing: PostgreSQL on :{postgres.port}, Redis on :{redis.port}", flush=True)
    services, bidders, decided = prepare(args)
    connection.close()
    python = sys.executable
    processes.start(
        "gunicorn",
        [
            python,
            "-m",
            "gunicorn",
            "kcc_portal.wsgi",
            "-b",
            f"127.0.0.1:{web_port}",
            "-w",
            str(args.web_workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--no-control-socket",  # its default path is shared by every gunicorn on the machine
        ],
    )
    workers = [
        processes.start(
            f"worker{n}",
            [
                python,
                "-m",
                "celery",
                "-A",
                "kcc_portal",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=faults{n}@%h",
            ],
        )
        for n in (1, 2)
    ]
    processes.start(
        "beat",
        [
            python,
            "-m",
            "celery",
            "-A",
            "kcc_portal",
            "beat",
            "--loglevel=WARNING",
            "-s",
            str(Path(env["FAULTS_DIR"]) / "beat-schedule"),
        ],
    )
    wait_for_port(web_port, up=True, within=60)
    from kcc_portal.celery import app

    deadline = time.monotonic() + 120
    while len(app.control.ping(timeout=1) or []) < len(workers):
        if time.monotonic() > deadline:
            sys.exit("The Celery workers did not start")
    print("gunicorn, two workers and beat are up: the bidders start", flush=True)

    tally = Tally()
    base = f"http://127.0.0.1:{web_port}"
    specs = cases.CASES
    from services.models import Service

    services = list(Service.objects.filter(pk__in=[s.pk for s in services]))
    plans = []
    for n in range(args.cases):
        service = services[n % len(services)]
        plans.append((service, cases.answers(specs[n % len(specs)], service)))
    done = threading.Event()
    events: list[tuple[float, str]] = []
    started = time.monotonic()

    def at() -> float:
        return time.monotonic() - started

    def bidder_thread(index: int) -> int:
        person = Bidder(base, bidders[index], tally)
        person.sign_in()
        submitted = 0
        for n in range(index, args.cases, args.bidders):
            service, answers = plans[n]
            try:
                ok = person.write_and_submit(service, answers)
            except RuntimeError as e:
                tally.add(f"gave up: {e}")
                continue
            submitted += ok
            tally.add("submitted" if ok else "refused at submission")
        return submitted

    def faults() -> None:
        next_kill, redis_down, restarted = args.kill_every, False, False
        deadline = 3600  # bounded whatever happens
        while not done.is_set() and at() < deadline:
            now = at()
            if now >= next_kill:
                worker = workers[int(now // args.kill_every) % len(workers)]
                pool = children(worker.pid)
                if pool:
                    os.kill(pool[0], signal.SIGKILL)
                    events.append((now, f"SIGKILL pool process {pool[0]} of worker {worker.pid}"))
                next_kill += args.kill_every
            if not redis_down and now >= args.redis_down_at:
                redis.stop()
                events.append((now, "Redis stopped"))
                redis_down = True
            if (
                redis_down
                and redis.process is None
                and now >= args.redis_down_at + args.redis_down_for
            ):
                redis.start()
                events.append((at(), "Redis started again"))
            if not restarted and now >= args.postgres_restart_at:
                events.append((now, "PostgreSQL restarting"))
                postgres.restart()
                events.append((at(), "PostgreSQL back"))
                restarted = True
            time.sleep(0.2)
        if redis.process is None:
            redis.start()
            events.append((at(), "Redis started again"))

    def ask_for_packs() -> None:
        for case in decided:
            if done.is_set():
                return
            for _attempt in range(60):
                try:
                    close_old_connections()
                    versions.request(case=case)
                    break
                except Exception as e:  # the database restarting: ask again
                    events.append((at(), f"asking for a pack failed ({type(e).__name__}), again"))
                    connection.close()
                    time.sleep(2)
            time.sleep(2)

    fault_thread = threading.Thread(target=faults, daemon=True)
    pack_thread = threading.Thread(target=ask_for_packs, daemon=True)
    fault_thread.start()
    pack_thread.start()
    with ThreadPoolExecutor(args.bidders) as pool:
        submitted = sum(pool.map(bidder_thread, range(args.bidders)))
    bidders_done = at()
    # The faults go on until their schedule has run through once.
    while at() < max(args.postgres_restart_at, args.redis_down_at + args.redis_down_for) + 5:
        time.sleep(1)
    done.set()
    fault_thread.join(timeout=60)
    pack_thread.join(timeout=300)

    ours = BusinessCase.objects.filter(organisation__name__startswith="Fault run bidder")
    packs = DecisionPack.objects.filter(case__in=decided)

    def counts():
        close_old_connections()
        stored = ours.exclude(submitted_at=None).count()
        assessed = Assessment.objects.filter(case__in=ours).values("case").distinct().count()
        ready = packs.filter(state=DecisionPack.State.READY).values("case").distinct().count()
        failed = packs.filter(state=DecisionPack.State.FAILED).count()
        return stored, assessed, ready, failed

    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        stored, assessed, ready, failed = counts()
        if assessed >= stored and ready + failed >= len(decided):
            break
        time.sleep(5)
    settled = at()
    stored, assessed, ready, failed = counts()

    def more_than_once(rows) -> int:
        return sum(1 for n in Counter(rows.values_list("case", flat=True)).values() if n > 1)

    twice_assessed = more_than_once(Assessment.objects.filter(case__in=ours)) + more_than_once(
        Event.objects.filter(case__in=ours, kind=Event.Kind.ASSESSED)
    )

    print()
    print("What happened, seconds from the first bidder's first request:")
    for when, what in events:
        print(f"  {when:6.1f}  {what}")
    print(f"  {bidders_done:6.1f}  bidders finished")
    print(f"  {settled:6.1f}  work settled (or the wait ran out)")
    print()
    latencies = sorted(tally.latencies)
    median, p95 = statistics.median(latencies), latencies[int(len(latencies) * 0.95)]
    print(
        f"HTTP requests: {tally.counts['requests']}, median {median * 1000:.0f} ms, "
        f"95th percentile {p95 * 1000:.0f} ms"
    )
    for what, n in sorted(tally.counts.items()):
        if what not in ("requests", "submitted", "5xx", "hung"):
            print(f"  {what}: {n}")
    figures = [
        ("submitted", submitted, args.cases),
        ("stored", stored, args.cases),
        ("assessed", assessed, args.cases),
        ("assessed twice", twice_assessed, 0),
        ("packs ready", ready, len(decided)),
        ("packs failed", failed, 0),
        ("HTTP 5xx (503s apart)", tally.counts["5xx"], 0),
        ("requests that hung", tally.counts["hung"], 0),
    ]
    print()
    print(f"{'':24}{'measured':>10}{'bar':>8}")
    for name, value, bar in figures:
        print(f"{name:24}{value:>10}{bar:>8}{'' if value == bar else '   MISSED'}")
    print(
        f"503s while PostgreSQL restarted (acceptable, counted apart): "
        f"{tally.counts['503 while the database restarted']}"
    )
    return all(value == bar for _, value, bar in figures)


if __name__ == "__main__":
    main()
