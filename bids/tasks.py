"""Celery tasks of bids: a few lines each; the work is in bids/retention.py."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from bids import retention


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
    # Nobody reads the result: the counts are in the worker's log.
    ignore_result=True,
)
def purge_personal_data() -> dict[str, int]:
    """Beat, nightly: anonymise what is past its retention period. Idempotent."""
    return retention.purge_personal_data().counts()
