"""Celery tasks: a few lines each, retrying on the database or broker blinking. The work, and its
idempotence, is in evaluation/assessments.py."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from evaluation import assessments, sweeps
from evaluation.packs import versions

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


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,  # the pack's row says how it went
    autoretry_for=RETRY_ON,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    # The soft limit is caught and recorded on the pack as its failure; the hard limit kills a
    # render stuck beyond it, and the sweep queues that pack again.
    soft_time_limit=settings.PACK_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.PACK_RENDER_TIME_LIMIT,
)
def render_pack(pack_id: int) -> None:
    versions.make(pack_id)


@shared_task(acks_late=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=3)
def sweep_packs() -> int:
    """Beat: queue again packs left queued or stuck rendering, and ask for the pack of any
    decided case that has none (a broker or process lost at the moment of the decision)."""
    return sweeps.queue_stale_packs()
