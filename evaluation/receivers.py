"""What evaluation does when a business case moves: queue its scoring; render its decision pack
once decided."""

import logging

from django.dispatch import receiver
from kombu.exceptions import OperationalError as BrokerError

from bids.models import Status
from bids.signals import case_anonymised, case_moved, case_submitted

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


@receiver(case_moved, dispatch_uid="evaluation.queue_decision_pack")
def queue_decision_pack(sender, case_id, to_status, **kwargs):
    """A decision recorded: ask for the case's decision pack. Sent after the decision committed,
    so a failure here cannot undo it; the pack's task is queued on commit and survives a dead
    broker (evaluation.packs.versions.queue), and the sweep asks for any pack missed here."""
    if to_status != Status.DECIDED:
        return
    from bids.models import BusinessCase
    from evaluation.packs import versions

    try:
        case = BusinessCase.objects.filter(pk=case_id).first()
        if case is not None:
            versions.request(case=case)
    except Exception:
        log.exception("could not ask for the decision pack of case %s: the sweep will", case_id)


@receiver(case_anonymised, dispatch_uid="evaluation.remove_decision_packs")
def remove_decision_packs(sender, case_id, at, **kwargs):
    """A case anonymised under the retention policy: its packs held the bidder's answers, so
    their files go too (their rows, with each SHA-256, stay as evidence of what was issued)."""
    from evaluation.packs import files

    files.remove_for_retention(case_id=case_id, at=at)
