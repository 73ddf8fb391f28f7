"""How much does assessing a business case cost, in-process and through a real Celery worker?

Prints, measured in the same run on the same broker and database, each figure beside its
baseline:
  - the rate of bare trivial Celery tasks (the baseline: what the queue itself costs), the
    end-to-end rate of assessments (queue -> worker -> figures, scoring, sensitivity, rival
    ranking, saved) and its ratio to the baseline (goal: 0.3 or more);
  - the whole per-case cost in-process: everything the task does (load, figures, score,
    sensitivity, rival ranking, save), in milliseconds (goal: 5 or less), split into the time
    spent waiting on the database (every statement, BEGIN and COMMIT, timed on Django's
    connection) and the rest (Python), with the round trips a case; beside it, pure scoring
    (`assess()` alone, no database) and a trivial `SELECT 1` round trip timed between the cases,
    so that round trips x SELECT 1 shows what the machine's database latency alone costs;
  - that cost for a case on a service with 50 assessed rival bids against one with none
    (goal: a ratio of 1.5 or less), each busy case meeting exactly 50 rivals (its own assessment
    is deleted, untimed, after it is timed). The two kinds are assessed alternately, so the shared
    machine's load falls on both alike; medians;
  - what ranking the busy service's 51 bids costs where it is done, when an officer's page or a
    decision pack reads it (evaluation/rankings.py): scoring never ranks.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; scripts/test sets both up). Uses a throwaway
test database (test_<name>), so it never touches real data:
    DATABASE_URL=postgres://kcc:kcc@127.0.0.1:5432/kcc REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/scoring.py --cases 200 --rivals 50
"""

import argparse
import copy
import os
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcc_portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases assessed by the worker")
    parser.add_argument("--rivals", type=int, default=50, help="rival bids on the busy service")
    parser.add_argument("--samples", type=int, default=40, help="cases timed in-process, each kind")
    parser.add_argument("--rounds", type=int, default=5, help="alternating worker batches")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from bench.scoring_pure import microseconds_per_case

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: this measures the real thing.")
    setup_test_environment()  # e-mail to memory, not the console
    databases = setup_databases(verbosity=0, interactive=False)
    worker = None
    try:
        quiet_scoring_log()
        lonely, busy, select_one, ranking = in_process(args.rivals, args.samples)
        pure = microseconds_per_case(2000) / 1000  # beside the in-process figures, same load
        from bench.workers import start_worker

        worker = start_worker(args.concurrency)
        baseline, scoring = worker_rates(args.cases, args.rounds)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        teardown_databases(databases, verbosity=0)

    latency_floor = lonely.round_trips * select_one
    print(f"worker processes:                      {args.concurrency}")
    print(f"trivial tasks (baseline):              {baseline:8.1f} a second")
    print(f"assessments, end to end:               {scoring:8.1f} a second")
    print(f"pure scoring (no db, no queue):        {pure:8.3f} ms a case")
    print(f"SELECT 1 round trip (this run):        {select_one:8.3f} ms")
    for name, kind in (("no rivals", lonely), (f"{args.rivals} rivals", busy)):
        print(f"whole case in-process, {name + ':':<16}{kind.whole:8.3f} ms a case")
        print(f"  of which database ({kind.round_trips:.0f} round trips):  {kind.database:8.3f} ms")
        print(f"  of which Python:                     {kind.python:8.3f} ms")
    print(
        f"round trips x SELECT 1 (no rivals):    {latency_floor:8.3f} ms: the machine's database "
        "latency alone"
    )
    print(
        f"ranking the {args.rivals + 1} bids, when read:         {ranking:8.3f} ms (2 queries; "
        "an officer's page or a pack, never scoring)"
    )
    print()
    print("Goals (issue 11):")
    print(f"  assessments / trivial tasks:         {scoring / baseline:8.3f}   (goal >= 0.3)")
    print(f"  whole case in-process, no rivals:    {lonely.whole:8.3f} ms (goal <= 5)")
    print(
        f"  the same less the database latency:  {lonely.whole - latency_floor:8.3f} ms "
        "(what the code costs beyond round trips x SELECT 1)"
    )
    print(
        f"  whole case / pure scoring:           {lonely.whole / pure:8.1f}   (goal <= 50: 5 ms "
        "against the issue's 0.1 ms; a gauge of the machine's load, both timed in this run)"
    )
    print(
        f"  {args.rivals} rivals / no rivals:               "
        f"{busy.whole / lonely.whole:8.3f}   (goal <= 1.5)"
    )


def quiet_scoring_log() -> None:
    import logging

    logging.getLogger("evaluation.assessments").setLevel(logging.WARNING)


def submitted_cases(count: int, *, one_service: bool = False) -> list:
    """`count` submitted business cases, each on a new service (or all on one): one
    made by the factory and submitted, the rest copies of it made by bulk inserts (with prices
    varied, so the bids differ), because factories and submissions one by one would take longer
    than what is measured."""
    from django.db import connection

    from bids import workflow
    from bids.factories import BusinessCaseFactory
    from bids.models import BusinessCase
    from bids.signals import case_submitted
    from evaluation.receivers import queue_scoring
    from services.models import Service

    # The timed part queues (or runs) the scoring itself.
    case_submitted.disconnect(queue_scoring, dispatch_uid="evaluation.queue_scoring")
    template = BusinessCaseFactory(complete=True)
    workflow.submit(case=template, by=template.created_by)
    template = BusinessCase.objects.select_related("service").get(pk=template.pk)
    tag = uuid.uuid4().hex[:6]
    if one_service:
        services = [template.service] * count
    else:
        services = []
        for n in range(count):
            copied = copy.copy(template.service)
            copied.pk = None
            copied.name = copied.slug = f"bench-{tag}-{n}"
            services.append(copied)
        services = Service.objects.bulk_create(services)
    cases = []
    for n, on in enumerate(services):
        copied = copy.copy(template)
        copied.pk = None
        copied.public_id = uuid.uuid4()
        copied.reference = f"B{tag}{n:05}"
        copied.service = on
        copied.record = with_price(template.record, 850_000 + 1_000 * (n % 100))
        cases.append(copied)
    cases = BusinessCase.objects.bulk_create(cases)
    with connection.cursor() as cursor:
        # As autovacuum would, before the planner meets these tables at this size.
        cursor.execute("ANALYZE bids_businesscase, services_service, evaluation_assessment")
    return cases


def with_price(record: dict, price: int) -> dict:
    record = copy.deepcopy(record)
    for section in record["sections"]:
        if section["key"] == "finance":
            for field in section["values"]:
                if field.startswith("price_year_"):
                    section["values"][field] = {"$decimal": str(price)}
    return record


@dataclass
class InProcess:
    """Medians over the cases of one kind, in milliseconds: the whole case, the part of it
    spent waiting on the database (each statement, the implicit BEGIN and the COMMIT), and the
    rest (Python); round trips a case."""

    whole: float
    database: float
    python: float
    round_trips: float


class DatabaseClock:
    """Times every round trip to the database on Django's connection: statements through
    `execute_wrapper` (psycopg2 sends a transaction's BEGIN with its first statement, so that is
    timed with it) and commits by wrapping the connection's `_commit` (Django commits on the
    driver's connection, not through a cursor). Measurement only: nothing is changed."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.seconds = 0.0
        self.statements = 0
        self.commits = 0

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self._time_statement)
        self._wrapper.__enter__()
        commit = self.connection._commit

        def timed_commit():
            start = time.perf_counter()
            try:
                return commit()
            finally:
                self.seconds += time.perf_counter() - start
                self.commits += 1

        self.connection._commit = timed_commit
        return self

    def __exit__(self, *exc):
        del self.connection._commit  # the class's own again
        self._wrapper.__exit__(*exc)

    def _time_statement(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.statements += 1

    def reading(self) -> tuple[float, int]:
        """Seconds so far, and round trips: each statement, and a BEGIN and a COMMIT for each
        transaction committed."""
        return self.seconds, self.statements + 2 * self.commits


def select_one_ms(times: int = 3) -> list[float]:
    """Milliseconds for `times` round trips of a trivial `SELECT 1` (autocommit: one round
    trip each): what the machine's database costs before any work is done."""
    from django.db import connection

    found = []
    with connection.cursor() as cursor:
        for _ in range(times):
            start = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            found.append((time.perf_counter() - start) * 1000)
    return found


def in_process(rivals: int, samples: int) -> tuple[InProcess, InProcess, float, float]:
    """Assessing a case in-process (assess_case: everything the task does) on a service of its
    own, and on a service with `rivals` assessed bids, assessed alternately, each split into
    database and Python time; the median `SELECT 1` round trip, measured between cases; and the
    median time to read the busy service's ranking (its rivals and one timed case)."""
    from evaluation.assessments import assess_case
    from evaluation.models import Assessment
    from evaluation.rankings import ranking_of

    lonely = submitted_cases(samples + 5)
    crowd = submitted_cases(rivals + samples + 5, one_service=True)
    service = crowd[0].service_id
    busy, rivals_ = crowd[rivals:], crowd[:rivals]
    for case in rivals_:
        assess_case(case.pk)
    # Warm up (connections, caches, the random vectors) on both kinds, then time. Each busy
    # case's assessment is deleted once timed (untimed), so every one meets exactly `rivals`.
    for case in (*lonely[:5], *busy[:5]):
        assess_case(case.pk)
    Assessment.objects.filter(case__in=busy[:5]).delete()
    assert all(c.service_id == service for c in busy)
    found = {"alone": [], "busy": []}
    select_one, ranking = [], []
    with DatabaseClock() as clock:
        for one, other in zip(lonely[5:], busy[5:], strict=True):
            for case, kind in ((one, "alone"), (other, "busy")):
                seconds, trips = clock.reading()
                start = time.perf_counter()
                assert assess_case(case.pk) is not None
                whole = time.perf_counter() - start
                seconds_after, trips_after = clock.reading()
                found[kind].append((whole, seconds_after - seconds, trips_after - trips))
            assessment = Assessment.objects.get(case=other)
            start = time.perf_counter()
            assert len(ranking_of(assessment).order) == rivals + 1
            ranking.append((time.perf_counter() - start) * 1000)
            assessment.delete()
            select_one += select_one_ms()

    def medians(rows) -> InProcess:
        return InProcess(
            whole=statistics.median(w for w, _, _ in rows) * 1000,
            database=statistics.median(d for _, d, _ in rows) * 1000,
            python=statistics.median(w - d for w, d, _ in rows) * 1000,
            round_trips=statistics.median(t for _, _, t in rows),
        )

    return (
        medians(found["alone"]),
        medians(found["busy"]),
        statistics.median(select_one),
        statistics.median(ranking),
    )


def worker_rates(n: int, rounds: int) -> tuple[float, float]:
    """Tasks a second through the worker: bare trivial tasks, and assessments (each case on a
    service of its own, as bids are spread across the catalogue). In `rounds` alternating
    batches, so that the shared machine's load falls on both alike."""
    from evaluation.models import Assessment
    from evaluation.tasks import score_case
    from kcc_portal.celery import ping

    cases = submitted_cases(n)
    ping.delay().get(timeout=30)  # warm up
    trivial = scoring = 0.0
    batch = -(-n // rounds)
    for first in range(0, n, batch):
        part = cases[first : first + batch]
        start = time.perf_counter()
        results = [ping.delay() for _ in part]
        for result in results:
            result.get(timeout=120)
        trivial += time.perf_counter() - start

        already = Assessment.objects.count()
        start = time.perf_counter()
        for case in part:
            score_case.delay(case.pk)
        deadline = time.monotonic() + 600
        while Assessment.objects.count() < already + len(part):
            if time.monotonic() > deadline:
                sys.exit("Assessments did not finish in 10 minutes")
            time.sleep(0.01)
        scoring += time.perf_counter() - start
    return n / trivial, n / scoring


if __name__ == "__main__":
    main()
