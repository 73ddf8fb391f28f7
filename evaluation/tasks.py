"""Celery tasks: a few lines each, retrying on the database or broker blinking. The work, and its
idempotence, is in evaluation/assessments.py."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from evaluation import assessments, sweeps

RETRY_ON = (OperationalError, InterfaceError, BrokerError)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # Nobody reads its result (the assessment is in the database). Storing one would also make
    # every publish subscribe to the result backend first, and with Redis down that retries for
    # twenty seconds before failing: a bidder's "Submit" would hang instead of failing fast to
    # the sweep.
    ignore_result=True,
    autoretry_for=RETRY_ON,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=12,
)
def score_case(case_id: int) -> None:
    assessments.assess_case(case_id)


@shared_task(acks_late=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=3)
def sweep_unassessed() -> int:
    """Beat: queue again what was submitted but never assessed (a broker outage at submission)."""
    return sweeps.queue_unassessed()
