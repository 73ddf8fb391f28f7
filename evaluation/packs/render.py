"""A pack's HTML (templates/evaluation/pack/) and its tagged PDF (WeasyPrint, PDF/UA-1).

Safety: WeasyPrint's own fetcher follows file:// and http:// (including redirects), and a
`<link rel="attachment">` embeds whatever it fetched into the PDF. Everything a bidder wrote is
escaped by the templates, so none of it can become markup; and even so, every HTML() and CSS()
here gets one `PackFetcher`, which serves `data:` URLs and the project's own static files and
refuses everything else, with redirects off. Attachments are never asked for.

Determinism: the PDF's dates come from the pack (its request time), never the clock, and
WeasyPrint writes the same bytes for the same HTML, so a version rendered again is byte-identical.

WeasyPrint is imported inside the functions: the web process never needs to load it.
"""

import mimetypes
from decimal import Decimal
from pathlib import PurePosixPath

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from evaluation import charts as score_charts
from evaluation.packs import charts
from evaluation.packs.content import PackContent
from evaluation.scoring.money import pounds

# Bumped when the templates or the stylesheet change what a pack looks like: part of `engine`.
TEMPLATE_VERSION = "4"
# A made-up origin for the project's static files: `.invalid` can never resolve (RFC 2606), and
# the fetcher answers it from the static files finders without any network request.
STATIC_ORIGIN = "https://static.pack.invalid/"
STYLESHEET = "pack/pack.css"
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """The pack asked for something other than data: or its own static files."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackFetcher(URLFetcher):
        """Serves data: URLs and the project's static files; refuses and records anything else.
        Redirects are off, and nothing ever reaches the network or the file system outside the
        static directories."""

        def __init__(self):
            super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, timeout=5)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_ORIGIN):
                return self._static(url)
            self.refused.append(url)
            raise RefusedURL(f"A decision pack fetches nothing from {url[:80]!r}")

        def _static(self, url):
            name = url.removeprefix(STATIC_ORIGIN).split("?")[0].split("#")[0]
            parts = PurePosixPath(name).parts
            found = finders.find(name) if parts and ".." not in parts else None
            if not found:
                self.refused.append(url)
                raise RefusedURL(f"No static file {name!r}")
            with open(found, "rb") as f:
                body = f.read()
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    return PackFetcher


def fetcher():
    """A new PackFetcher (a weasyprint.urls.URLFetcher subclass), one per render."""
    return _fetcher_class()()


def engine() -> str:
    import pydyf
    import weasyprint

    versions = f"WeasyPrint {weasyprint.__version__}, pydyf {pydyf.__version__}"
    return f"{versions}, pack {TEMPLATE_VERSION}"


SECTIONS = [
    ("summary", "1. Executive summary"),
    ("service", "2. The service"),
    ("proposal", "3. The proposal as submitted"),
    ("finance", "4. Financial comparison"),
    ("assessment", "5. The machine's assessment"),
    ("reviews", "6. Reviewers' scores"),
    ("moderation", "7. Moderated consensus"),
    ("screening", "8. Screening checklist"),
    ("clarifications", "9. Clarifications"),
    ("conflicts", "10. Conflicts of interest declared"),
    ("decision", "11. The decision"),
    ("documents", "12. Supporting documents"),
    ("audit", "13. Audit trail"),
]


def money(comparison) -> dict:
    """The comparison's figures as the pack prints them: pounds, to the nearest pound."""
    if comparison is None:
        return {}
    whole = {k: Decimal(v) for k, v in comparison.whole_life.items()}
    figures = {
        "years": [
            {
                "year": y.year,
                "in_house": pounds(y.in_house),
                "bid": pounds(y.bid),
                "difference": pounds(y.difference),
            }
            for y in comparison.years
        ],
        "transition_costs": pounds(comparison.transition_costs),
        "grant": pounds(comparison.grant),
        "external_income": pounds(comparison.external_income),
        "in_house_total": pounds(comparison.in_house_total),
        "bid_total": pounds(comparison.bid_total),
        "difference": pounds(comparison.difference),
    }
    if whole:
        figures |= {
            "cost_in_house": pounds(whole["cost_in_house"]),
            "cost_bid": pounds(whole["cost_bid"]),
            "cost_saving": pounds(whole["cost_in_house"] - whole["cost_bid"]),
            "npv_in_house": pounds(whole["npv_in_house"]),
            "npv_bid": pounds(whole["npv_bid"]),
            "npv_saving": pounds(whole["npv_saving"]),
            "discount_rate": f"{whole['discount_rate'] * 100:.1f}".removesuffix(".0"),
        }
    return figures


def html(content: PackContent) -> str:
    """The pack as one HTML document; every value a person typed is escaped by the template."""
    return render_to_string(
        "evaluation/pack/pack.html",
        {
            "pack": content,
            "sections": SECTIONS,
            "money": money(content.comparison),
            "created": content.date.isoformat(timespec="seconds"),
            "finance_chart": charts.comparison_chart(content.comparison.years)
            if content.comparison
            else "",
            "score_chart": score_charts.score_chart(content.assessment.scores)
            if content.assessment
            else "",
        },
    )


def _page_references(pdf):
    """pydyf.PDF.page_references, built once for each length of the page list instead of on
    every call. WeasyPrint's tagging asks for it once for every structure element, and pydyf
    0.13 rebuilds the whole tuple (one bytes a page) each time, so tagging cost grew as
    elements x pages: 3-5% of an 80-page pack. Same value, so the same bytes: pages are only
    ever appended to `Kids` (`PDF.add_page`), and a cache is kept for the very list it read."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_pack_page_references")
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = pdf.__dict__["_pack_page_references"] = (kids, len(kids), references)
    return cached[2]


def _cache_page_references() -> None:
    """Installs `_page_references` on pydyf.PDF, once, for the version it was written against
    (another pydyf keeps its own; `engine` records which made a pack)."""
    import pydyf

    if pydyf.__version__ == "0.13.0" and not hasattr(pydyf.PDF, "_pack_cached"):
        pydyf.PDF.page_references = property(_page_references)
        pydyf.PDF._pack_cached = True


def pdf(document: str, *, fetch=None) -> tuple[bytes, int]:
    """The tagged PDF of `document` (HTML) and its number of pages."""
    from weasyprint import CSS, HTML

    _cache_page_references()
    fetch = fetch or fetcher()
    stylesheet = CSS(url=STATIC_ORIGIN + STYLESHEET, url_fetcher=fetch)
    rendered = HTML(string=document, base_url=STATIC_ORIGIN, url_fetcher=fetch).render(
        stylesheets=[stylesheet], pdf_variant=PDF_VARIANT
    )
    return rendered.write_pdf(pdf_variant=PDF_VARIANT), len(rendered.pages)
