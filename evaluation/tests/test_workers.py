"""Scoring through real Celery workers on Redis and PostgreSQL, including when things go wrong."""

import logging
import os
import signal
import time

import psycopg2
import pytest
from django.db import connection

from bids import workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Event, Status
from evaluation.models import Assessment

pytestmark = pytest.mark.worker


def wait_for(condition, *, timeout: float = 60, what: str = "the condition", logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    details = "\n".join(f"--- {p.log_path}\n{p.log()}" for p in logs)
    pytest.fail(f"Timed out after {timeout}s waiting for {what}\n{details}")


def assessed(case) -> bool:
    return Assessment.objects.filter(case=case).exists()


def test_a_submitted_case_is_assessed_by_a_real_worker(start_worker):
    start_worker()
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)  # queues scoring once committed
    wait_for(lambda: assessed(case), what="the assessment")
    assessment = Assessment.objects.get(case=case)
    assert assessment.recommendation in {"MAKE", "BUY", "SELL"}
    assert len(assessment.scores) == assessment.framework.criteria.count()
    assert assessment.framework.is_frozen
    case.refresh_from_db()
    assert case.assessed_at is not None
    assert Event.objects.filter(case=case, kind=Event.Kind.ASSESSED).count() == 1


def _test_database_connection():
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
    )


def _blocked_by(holder) -> bool:
    """Whether another session (the task's) is waiting for a lock that `holder` holds."""
    with _test_database_connection() as probe, probe.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
            [holder.get_backend_pid()],
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_during_a_task_still_assesses_the_case_exactly_once(start_worker):
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)  # queued; no worker is running yet

    # Hold the case's row, so that the task is caught inside assess_case, waiting for it.
    holder = _test_database_connection()
    try:
        holder.autocommit = False
        holder.cursor().execute(
            "SELECT id FROM bids_businesscase WHERE id = %s FOR UPDATE", [case.pk]
        )
        worker = start_worker()
        wait_for(
            lambda: _blocked_by(holder),
            what="the task to start and wait for the case",
            logs=[worker],
        )

        # The pool process running the task dies, as under the OOM killer.
        (child,) = worker.children()
        os.kill(child, signal.SIGKILL)
        wait_for(
            lambda: worker.children() and worker.children() != [child],
            what="a new pool process",
            logs=[worker],
        )
        wait_for(
            lambda: _blocked_by(holder),
            what="the task to be redelivered to the new process",
            logs=[worker],
        )
    finally:
        holder.rollback()  # let it go
        holder.close()

    wait_for(lambda: assessed(case), what="the assessment", logs=[worker])
    time.sleep(1)  # anything still queued would run now
    assert Assessment.objects.filter(case=case).count() == 1
    assert Event.objects.filter(case=case, kind=Event.Kind.ASSESSED).count() == 1
    assert "WorkerLostError" in worker.log()


def test_a_case_submitted_while_redis_is_down_is_assessed_once_it_is_back(
    private_redis, start_worker, start_beat, caplog
):
    """The outage is of a Redis of the test's own (conftest.private_redis): the test process, the
    worker and beat all use it, and the shared Redis keeps answering throughout."""
    from kcc_portal.celery import app

    assert private_redis.shared_watch.ping()
    assert app.connection_for_write().as_uri().endswith(f"127.0.0.1:{private_redis.port}/0")
    fast = {"ASSESSMENT_SWEEP_INTERVAL_SECONDS": "2", "ASSESSMENT_SWEEP_AFTER_SECONDS": "0"}
    worker = start_worker(**fast)
    assert f"Connected to redis://:**@127.0.0.1:{private_redis.port}/0" in worker.log()

    private_redis.stop()
    assert not private_redis.answers()
    case = BusinessCaseFactory(complete=True)
    with caplog.at_level(logging.WARNING, logger="evaluation.receivers"):
        workflow.submit(case=case, by=case.created_by)  # the broker is down: queueing fails
    assert f"could not queue scoring of case {case.pk}" in caplog.text
    case = BusinessCase.objects.get(pk=case.pk)
    assert case.status == Status.SUBMITTED  # the submission is saved all the same
    assert case.reference
    assert not assessed(case)

    private_redis.start()  # the same server, on the same port, empty
    assert private_redis.answers()
    wait_for(worker.answers, what="the worker to reconnect", logs=[worker])
    beat = start_beat(**fast)  # the sweep finds the case and queues it again
    assert f"127.0.0.1:{private_redis.port}/" in beat.log()  # its broker
    wait_for(
        lambda: assessed(case), timeout=90, what="the sweep and the worker", logs=[worker, beat]
    )
    assert Assessment.objects.filter(case=case).count() == 1
    assert worker.proc.poll() is None  # the worker rode out the outage
    # Nobody else noticed: the shared Redis answered every ping while ours was down.
    assert private_redis.shared_watch.answers and all(private_redis.shared_watch.answers)
    assert private_redis.shared_watch.ping()
