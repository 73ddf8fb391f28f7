"""Who the API names as the bidder to an officer. (On a published decision the public rule is
opendata.published.named_bidder, shared with the register and the OCDS releases.)"""

from bids.models import BusinessCase
from evaluation.review import access


def bidder_name_for_officer(user, case: BusinessCase) -> str | None:
    """The organisation's name as `user` may read it: never to a reviewer of a blind case
    (evaluation.review.access), never once the case is anonymised."""
    if case.anonymised_at is not None or access.blind_for(user, case):
        return None
    return case.organisation.name
