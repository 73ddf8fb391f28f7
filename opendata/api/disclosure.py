"""Who the API names as the bidder. Kept apart, and plainly named, so that the public register
(opendata) and the API can share one rule: point `public_bidder_name` at the register's rule when
there is one."""

from bids.models import BusinessCase
from evaluation.review import access


def public_bidder_name(case: BusinessCase) -> str | None:
    """The organisation's name as the public sees it on a published decision, or None when the
    case must not name its bidder: its personal data was removed under the retention policy
    (`anonymised_at`, bids/retention.py). (The issue also lets a bidder ask to be anonymised with
    an officer's agreement; the model records no such request yet, so this is the one test.)"""
    if case.anonymised_at is not None:
        return None
    return case.organisation.name


def bidder_name_for_officer(user, case: BusinessCase) -> str | None:
    """The organisation's name as `user` may read it: never to a reviewer of a blind case
    (evaluation.review.access), never once the case is anonymised."""
    if case.anonymised_at is not None or access.blind_for(user, case):
        return None
    return case.organisation.name
