"""What evaluation does when a business case moves: queue its scoring."""

import logging

from django.dispatch import receiver
from kombu.exceptions import OperationalError as BrokerError

from bids.signals import case_submitted

log = logging.getLogger(__name__)


@receiver(case_submitted, dispatch_uid="evaluation.queue_scoring")
def queue_scoring(sender, case_id, **kwargs):
    from evaluation.tasks import score_case

    try:
        score_case.delay(case_id)
    except BrokerError as exc:
        # The submission stands: it is committed. The beat sweep queues the case once the broker
        # is back, so an outage at this moment loses nothing.
        log.warning("could not queue scoring of case %s (%s): the sweep will", case_id, exc)
    except Exception:
        # Only reachable with tasks run in-process (no broker): a failure to score must not turn
        # the bidder's successful submission into an error page. The sweep tries again.
        log.exception("scoring case %s failed: the sweep will try again", case_id)
