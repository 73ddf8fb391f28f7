"""How fast do business cases get assessed through a real Celery worker?

Prints, measured in the same run on the same broker and database:
  - the rate of bare trivial Celery tasks (the baseline: what the queue itself costs),
  - the end-to-end rate of assessments (queue -> worker -> figures, scoring, sensitivity,
    saved) and its ratio to the baseline,
  - microseconds per case for pure scoring (no database, no queue).

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; scripts/test sets both up). Uses a throwaway
test database, so it never touches real data:
    DATABASE_URL=postgres://kcc:kcc@127.0.0.1:5432/kcc REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/scoring.py --cases 200
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcc_portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="business cases to assess")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: this measures the real thing.")
    databases = setup_databases(verbosity=0, interactive=False)
    worker = None
    try:
        from bench.workers import start_worker

        worker = start_worker(args.concurrency)
        baseline = trivial_rate(args.cases)
        scoring = assessment_rate(args.cases)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        teardown_databases(databases, verbosity=0)

    from bench.scoring_pure import microseconds_per_case

    pure = microseconds_per_case()
    print(f"worker processes:              {args.concurrency}")
    print(f"trivial tasks (baseline):      {baseline:8.1f} a second")
    print(f"assessments, end to end:       {scoring:8.1f} a second")
    print(f"ratio assessments / trivial:   {scoring / baseline:8.3f}")
    print(f"pure scoring (no db, no queue): {pure:7.1f} microseconds a case")


def trivial_rate(n: int) -> float:
    from kcc_portal.celery import ping

    ping.delay().get(timeout=30)  # warm up
    start = time.perf_counter()
    results = [ping.delay() for _ in range(n)]
    for result in results:
        result.get(timeout=120)
    return n / (time.perf_counter() - start)


def assessment_rate(n: int) -> float:
    from bids import workflow
    from bids.factories import BusinessCaseFactory
    from bids.signals import case_submitted
    from evaluation.models import Assessment
    from evaluation.receivers import queue_scoring
    from evaluation.tasks import score_case

    # Each case on its own service, as bids are spread across the catalogue. Submitted with the
    # scoring receiver disconnected, so that the timed part is only the queue and the worker.
    case_submitted.disconnect(queue_scoring, dispatch_uid="evaluation.queue_scoring")
    cases = [BusinessCaseFactory(complete=True) for _ in range(n)]
    for case in cases:
        workflow.submit(case=case, by=case.created_by)
    start = time.perf_counter()
    for case in cases:
        score_case.delay(case.pk)
    deadline = time.monotonic() + 600
    while Assessment.objects.count() < n:
        if time.monotonic() > deadline:
            sys.exit("Assessments did not finish in 10 minutes")
        time.sleep(0.05)
    return n / (time.perf_counter() - start)


if __name__ == "__main__":
    main()
