"""The public catalogue: a filtered, paginated list of services and a page for each."""

import dataclasses
import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateformat import format as format_date

from services.filters import ServiceFilter
from services.models import Service


@dataclasses.dataclass(frozen=True)
class BidStatus:
    """Whether a service takes bids, in words: a short tag for the list, a sentence for its page."""

    tag: str
    tag_colour: str  # a GOV.UK tag modifier
    sentence: str


def bid_status(service: Service, today: datetime.date) -> BidStatus:
    opens, closes = service.bid_window_opens, service.bid_window_closes
    if service.excluded_from_challenge:
        return BidStatus(
            "Excluded from challenge", "orange", "No: excluded from the right to challenge"
        )
    if service.is_open_for_bids(on=today):
        return BidStatus(
            f"Open for bids until {_day(closes)}", "green", f"Yes, until {_day(closes)}"
        )
    if opens and opens > today:
        closing = f" and closes on {_day(closes)}" if closes else ""
        sentence = f"Not yet: opens on {_day(opens)}{closing}"
    elif closes and closes < today:
        sentence = f"No: closed on {_day(closes)}"
    else:
        sentence = "No: no bid window has been set"
    return BidStatus("Not open for bids", "grey", sentence)


def _day(date: datetime.date) -> str:
    return format_date(date, "j F Y")


def service_list(request):
    today = timezone.localdate()
    services = Service.objects.select_related("directorate").prefetch_related("districts")
    filterset = ServiceFilter(request.GET, queryset=services, today=today)
    page = Paginator(filterset.qs, settings.CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/service_list.html",
        {
            "filter": filterset,
            "form": filterset.form,  # base.html prefixes the title with "Error:" when invalid
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "results": [(service, bid_status(service, today)) for service in page],
        },
    )


def service_detail(request, slug):
    service = get_object_or_404(
        Service.objects.select_related("directorate").prefetch_related("districts"), slug=slug
    )
    return render(
        request,
        "services/service_detail.html",
        {"service": service, "status": bid_status(service, timezone.localdate())},
    )
