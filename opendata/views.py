"""The public register of decisions, its Atom feed and its OCDS release packages. No sign-in:
everything here is published. Views only speak HTTP: what is published, and what of it is
public, is opendata.published; the OCDS shape is opendata.ocds."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import cache_control

from opendata import ocds
from opendata.filters import DecisionFilter
from opendata.published import public, published_decisions

PAGE_SIZE = 20  # as the catalogue
FEED_SIZE = 50


def register(request):
    filterset = DecisionFilter(request.GET, queryset=published_decisions())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "opendata/register.html",
        {
            "filter": filterset,
            "form": filterset.form,  # base.html prefixes the title with "Error:" when invalid
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "decisions": [public(d) for d in page],
        },
    )


def decision_detail(request, reference):
    decision = get_object_or_404(published_decisions(), case__reference=reference)
    return render(request, "opendata/decision_detail.html", {"decision": public(decision)})


def open_data(request):
    return render(
        request,
        "opendata/open_data.html",
        {"ocid_prefix": settings.OCDS_OCID_PREFIX, "licence": settings.OCDS_LICENSE},
    )


class DecisionFeed(Feed):
    """The newest published decisions, as Atom."""

    feed_type = Atom1Feed
    title = "Kent County Council: right to bid decisions"
    subtitle = "Decisions on business cases to run Kent County Council services, as published."
    author_name = "Kent County Council"

    def link(self):
        return reverse("opendata:register")

    def items(self):
        return [public(d) for d in published_decisions()[:FEED_SIZE]]

    def item_title(self, item):
        return f"{item.reference}: {item.service.name}: {item.outcome_label}"

    def item_description(self, item):
        parts = [f"Bidder: {item.bidder}.", f"Outcome: {item.outcome_label}."]
        if item.ground_label:
            parts.append(f"Statutory ground: {item.ground_label}.")
        if item.modification:
            parts.append(f"Modification agreed: {item.modification}")
        parts.append(f"Reasons: {item.reasons}")
        return "\n\n".join(parts)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return "Kent County Council"


def _since(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 date or date-time (naive: the council's time zone). Raises ValueError."""
    if not value:
        return None
    if len(value) > 40:
        raise ValueError("too long")
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError("not a date")
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@cache_control(public=True, max_age=300)
def ocds_package(request):
    """Published decisions as an OCDS 1.1 release package, oldest first, PAGE_SIZE a page, so
    that a page once full never changes; `?since=` (ISO 8601) keeps those published after it,
    for a harvester that has the rest. `links.next` gives the next page."""
    try:
        since = _since(request.GET.get("since"))
    except (ValueError, OverflowError):
        return JsonResponse(
            {"error": "since must be an ISO 8601 date or date-time, like 2026-03-27"}, status=400
        )
    decisions = published_decisions().order_by("published_at", "pk")
    if since is not None:
        decisions = decisions.filter(published_at__gt=since)
    page = Paginator(decisions, ocds.PAGE_SIZE).get_page(request.GET.get("page"))
    # With nothing published (or nothing since), the package has no releases: OCDS wants at
    # least one, but an empty answer tells a harvester the truth, which a 404 would not.
    items = [public(d) for d in page]

    def url(**params) -> str:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        path = reverse("opendata:ocds")
        return settings.SITE_URL + path + (f"?{urlencode(query)}" if query else "")

    since_param = since.isoformat() if since else None
    package = ocds.package(
        items,
        uri=url(since=since_param, page=page.number if page.number > 1 else None),
        decision_url=lambda d: settings.SITE_URL + d.get_absolute_url(),
        published=max((d.published_at for d in items), default=timezone.now()),
        next_url=url(since=since_param, page=page.next_page_number()) if page.has_next() else None,
    )
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})
