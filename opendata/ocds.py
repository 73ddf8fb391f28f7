"""Published decisions as Open Contracting Data Standard 1.1 releases, in a release package.

A pure function of the decisions (`release`, `package`): the view only pages and serves. Each
release reads only opendata.published.public(), so it can hold nothing the register does not
show: no answers, no scores, no people, no withheld names.

How a right-to-bid case maps onto OCDS (documented for users at /decisions/open-data/):
- one contracting process per business case: `ocid` is OCDS_OCID_PREFIX + "-" + the case's
  reference, so it never changes;
- `planning`: the service challenged and its yearly net budget;
- `tender`: the bid window in which expressions of interest are received (the community right
  to challenge, Localism Act 2011 Part 5 Chapter 2);
- `bids.details` (bids extension): the expression of interest, with its tenderer; "valid" when
  accepted, "disqualified" when rejected on a statutory ground. Its price is not published:
  an accepted expression of interest leads to a procurement exercise, which a published price
  would prejudice;
- `awards`: the decision. An accepted expression of interest is a "pending" award (the
  procurement exercise follows); a rejected one "unsuccessful", with the statutory ground.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from opendata.published import PublicDecision

OCDS_VERSION = "1.1"
BID_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/"
    "v1.1.5/extension.json"
)
BUYER_ID = "kent-county-council"
BUYER_NAME = "Kent County Council"
PAGE_SIZE = 100


def ocid(reference: str) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{reference}"


def _amount(value: Decimal) -> int | float:
    """A JSON number (OCDS wants numbers, and DjangoJSONEncoder writes Decimals as strings)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _when(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def release(decision: PublicDecision, *, url: str) -> dict:
    """One decision as an OCDS release; `url` is its page in the public register."""
    service = decision.service
    tenderer_id = f"bidder-{decision.public_id}"  # per case: a withheld bidder cannot be linked
    tenderer = {"id": tenderer_id, "name": decision.bidder}
    accepted = not decision.rejected
    bid_id = decision.reference
    where = "Kent" if service.county_wide else ", ".join(service.districts) or "Kent"
    budget_note = " (illustrative figures)" if service.figures_illustrative else ""
    award = {
        "id": f"{decision.reference}-decision",
        "title": decision.outcome_label,
        "description": decision.reasons,
        "status": "pending" if accepted else "unsuccessful",
        "date": _when(decision.decided_at),
        "relatedBids": [bid_id],
        "documents": [
            {
                "id": f"{decision.reference}-register",
                "documentType": "awardNotice",
                "title": f"Decision on {decision.reference}: {service.name}",
                "url": url,
                "format": "text/html",
                "language": "en",
                "datePublished": _when(decision.published_at),
            }
        ],
    }
    if accepted:
        award["suppliers"] = [tenderer]
    if decision.modification:
        award["description"] += f"\n\nModification agreed with the bidder: {decision.modification}"
    if decision.rejected:
        award["description"] += f"\n\nStatutory ground: {decision.ground_label}"
    return {
        "ocid": ocid(decision.reference),
        "id": f"{decision.reference}-{decision.published_at:%Y%m%dT%H%M%S}",
        "date": _when(decision.published_at),
        "tag": ["planning", "tender", "award"],
        "initiationType": "tender",
        "language": "en",
        "parties": [
            {"id": BUYER_ID, "name": BUYER_NAME, "roles": ["buyer", "procuringEntity"]},
            {
                **tenderer,
                "roles": ["tenderer", "supplier"] if accepted else ["tenderer"],
            },
        ],
        "buyer": {"id": BUYER_ID, "name": BUYER_NAME},
        "planning": {
            "rationale": f"{service.name} ({service.portfolio_label} portfolio, "
            f"{service.directorate}), delivered in {where}, is open to challenge under the "
            "community right to challenge.",
            "budget": {
                "id": service.slug,
                "description": f"The service's yearly net budget{budget_note}.",
                "amount": {"amount": _amount(service.net_budget), "currency": "GBP"},
                "project": service.name,
            },
        },
        "tender": {
            "id": f"{decision.reference}-expression-of-interest",
            "title": f"Expressions of interest to run {service.name}",
            "status": "complete",
            "procuringEntity": {"id": BUYER_ID, "name": BUYER_NAME},
            "procurementMethod": "open",
            "procurementMethodDetails": "Expression of interest under the community right to "
            "challenge (Localism Act 2011, Part 5 Chapter 2)",
            "mainProcurementCategory": "services",
        },
        "bids": {
            "details": [
                {
                    "id": bid_id,
                    "date": _when(decision.submitted_at),
                    "status": "valid" if accepted else "disqualified",
                    "tenderers": [tenderer],
                }
            ]
        },
        "awards": [award],
    }


def package(
    decisions: list[PublicDecision],
    *,
    uri: str,
    decision_url,
    published: datetime.datetime,
    next_url: str | None = None,
) -> dict:
    """A release package of `decisions` (one page). `decision_url(decision)` gives each one's
    absolute register URL; `published` is when the newest of them was published, so the same
    page reads the same until something new is published."""
    result = {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [BID_EXTENSION],
        "publishedDate": published.isoformat(),
        "publisher": {"name": BUYER_NAME, "uri": settings.SITE_URL + "/"},
        "license": settings.OCDS_LICENSE,
        "publicationPolicy": settings.SITE_URL + reverse("opendata:open-data"),
        "releases": [release(d, url=decision_url(d)) for d in decisions],
    }
    if next_url:
        result["links"] = {"next": next_url}
    return result
