"""Whether a service takes bids today, in words, for the catalogue and for the bid journey."""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date

from services.models import Service


@dataclasses.dataclass(frozen=True)
class BidStatus:
    """A short tag for the list, a sentence for the service's page, and the reason it is closed
    (empty when open) for messages such as "…is not open for bids (bidding closed on…)"."""

    is_open: bool
    tag: str
    tag_colour: str  # a GOV.UK tag modifier
    sentence: str
    reason: str = ""


def bid_status(service: Service, today: datetime.date | None = None) -> BidStatus:
    today = today or timezone.localdate()
    opens, closes = service.bid_window_opens, service.bid_window_closes
    if service.excluded_from_challenge:
        return BidStatus(
            False,
            "Excluded from challenge",
            "orange",
            "No: excluded from the right to challenge",
            "it is excluded from the right to challenge",
        )
    if service.is_open_for_bids(on=today):
        return BidStatus(
            True, f"Open for bids until {_day(closes)}", "green", f"Yes, until {_day(closes)}"
        )
    if opens and opens > today:
        closing = f" and closes on {_day(closes)}" if closes else ""
        sentence = f"Not yet: opens on {_day(opens)}{closing}"
        reason = f"bidding opens on {_day(opens)}"
    elif closes and closes < today:
        sentence = f"No: closed on {_day(closes)}"
        reason = f"bidding closed on {_day(closes)}"
    else:
        sentence = reason = "no bid window has been set"
        sentence = f"No: {sentence}"
    return BidStatus(False, "Not open for bids", "grey", sentence, reason)


def _day(date: datetime.date) -> str:
    return format_date(date, "j F Y")
