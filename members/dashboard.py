"""The pipeline dashboard's figures: business cases by status, portfolio and district, the
savings proposed against the target, the machine's recommendation against the decision, and the
time from submission to decision.

Every figure is an aggregate worked out by the database, so the dashboard is six queries however
many cases there are. The savings are the machine's own figures (evaluation.scoring's Facts,
stored in each Assessment's `whole_life`): the service's net budget for each year of the bid's
term ("in-house") against what KCC would pay the bidder over the term, transition costs and grant
included ("bid"). They are summed from the JSON by the database, from each case's latest
assessment, never worked out again here.

Which cases count: "by status" counts every submitted case (drafts are the bidders' own until
submitted); every other figure counts the cases submitted and not withdrawn
(bids.workflow.ASSESSABLE), and the decision figures the decided ones (bids.workflow.DECIDED).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from bids import workflow
from bids.models import BusinessCase, Outcome, Status
from evaluation.charts import bar_chart
from evaluation.models import Assessment, Decision, Recommendation
from evaluation.scoring.money import pounds
from services.models import District, Portfolio

ZERO = Decimal(0)
PENNY = Decimal("0.01")
SECONDS_A_DAY = Decimal(86_400)
COUNTY_WIDE = "County-wide"
NOT_ASSESSED = "Not assessed"
ACCEPTED = (Outcome.ACCEPTED, Outcome.ACCEPTED_WITH_MODIFICATION)
# Wide enough for a sum of the largest amounts the forms allow (bids/forms.py) over many cases.
MONEY = DecimalField(max_digits=24, decimal_places=2)


@dataclass(frozen=True)
class Tally:
    label: str
    value: int


@dataclass(frozen=True)
class Savings:
    """One portfolio's (or every portfolio's) assessed bids: what the services cost in-house over
    the bids' terms, what the bids would cost, and the difference; and the same for the bids
    accepted. `illustrative` counts the bids whose service's budget is illustrative."""

    label: str
    bids: int
    in_house: Decimal
    bid: Decimal
    accepted_bids: int
    accepted_in_house: Decimal
    accepted_bid: Decimal
    illustrative: int

    @property
    def saving(self) -> Decimal:
        return self.in_house - self.bid

    @property
    def accepted_saving(self) -> Decimal:
        return self.accepted_in_house - self.accepted_bid


@dataclass(frozen=True)
class CrossRow:
    """The decided cases the machine recommended `label` for, by outcome (in Outcome's order)."""

    label: str
    outcomes: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.outcomes)


@dataclass(frozen=True)
class Pipeline:
    by_status: list[Tally]
    by_portfolio: list[Tally]
    by_district: list[Tally]
    savings: list[Savings]  # one per portfolio
    savings_total: Savings
    target: Decimal
    cross: list[CrossRow]
    outcomes: list[str]  # the cross-table's columns
    decided: int  # decided cases with a submission date: what the median is of
    median_days: Decimal | None

    @property
    def standing(self) -> int:
        """Cases submitted and not withdrawn."""
        return sum(c.value for c in self.by_portfolio)

    def share_of_target(self, amount: Decimal) -> Decimal | None:
        if self.target <= 0:
            return None
        return (100 * amount / self.target).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def proposed_share(self) -> Decimal | None:
        return self.share_of_target(self.savings_total.saving)

    @property
    def accepted_share(self) -> Decimal | None:
        return self.share_of_target(self.savings_total.accepted_saving)


def target() -> Decimal:
    """The savings target the pipeline is set against (settings.SAVINGS_TARGET_POUNDS)."""
    return Decimal(settings.SAVINGS_TARGET_POUNDS)


def pipeline() -> Pipeline:
    """Every figure of the dashboard, in six queries."""
    by_status, by_portfolio, county_wide = _counts()
    savings = _savings()
    cross = _cross()
    decided, median = _median_days()
    return Pipeline(
        by_status=by_status,
        by_portfolio=by_portfolio,
        by_district=[*_districts(), Tally(COUNTY_WIDE, county_wide)],
        savings=savings,
        savings_total=_total(savings),
        target=target(),
        cross=cross,
        outcomes=[label for _, label in Outcome.choices],
        decided=decided,
        median_days=median,
    )


def _counts() -> tuple[list[Tally], list[Tally], int]:
    """Cases by status, standing cases by portfolio, and standing county-wide cases: one query
    grouped by all three (a few dozen rows at most)."""
    rows = (
        BusinessCase.objects.exclude(status=Status.DRAFT)
        .values("status", "service__portfolio", "service__county_wide")
        .annotate(n=Count("pk"))
        .order_by()
    )
    status: dict[str, int] = {}
    portfolio: dict[str, int] = {}
    county_wide = 0
    for row in rows:
        status[row["status"]] = status.get(row["status"], 0) + row["n"]
        if row["status"] in workflow.ASSESSABLE:
            key = row["service__portfolio"]
            portfolio[key] = portfolio.get(key, 0) + row["n"]
            county_wide += row["n"] if row["service__county_wide"] else 0
    return (
        [Tally(label, status.get(value, 0)) for value, label in Status.choices if value != "draft"],
        [Tally(label, portfolio.get(value, 0)) for value, label in Portfolio.choices],
        county_wide,
    )


def _districts() -> list[Tally]:
    """Standing cases in each district, every district listed. A service in several districts
    counts in each, so these add up to more than the cases; county-wide services in none."""
    standing = Q(services__business_cases__status__in=workflow.ASSESSABLE)
    rows = (
        District.objects.annotate(n=Count("services__business_cases", filter=standing))
        .order_by("name")
        .values_list("name", "n")
    )
    return [Tally(name, n) for name, n in rows]


def _money(key: str, accepted: bool = False) -> Sum:
    value = Cast(KT(f"whole_life__{key}"), MONEY)
    return Sum(value, filter=Q(case__outcome__in=ACCEPTED) if accepted else None, default=ZERO)


def _savings() -> list[Savings]:
    """The standing cases' latest assessments, summed by portfolio in one query."""
    # The latest: no newer assessment of the same case. An anti-join, which PostgreSQL runs as a
    # hash join, where "pk = (the newest's pk)" ran a subquery per row (2.7 times slower at 20,000).
    newer = Assessment.objects.filter(case=OuterRef("case")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    rows = (
        Assessment.objects.filter(
            ~Exists(newer),
            case__status__in=workflow.ASSESSABLE,
            whole_life__has_key="cost_bid",
        )
        .values("case__service__portfolio")
        .annotate(
            bids=Count("pk"),
            in_house=_money("cost_in_house"),
            bid=_money("cost_bid"),
            accepted_bids=Count("pk", filter=Q(case__outcome__in=ACCEPTED)),
            accepted_in_house=_money("cost_in_house", accepted=True),
            accepted_bid=_money("cost_bid", accepted=True),
            illustrative=Count("pk", filter=Q(case__service__figures_illustrative=True)),
        )
        .order_by()
    )
    money = ("in_house", "bid", "accepted_in_house", "accepted_bid")
    found = {
        # To the penny whatever the database returns (SQLite's sums drop trailing zeros).
        row.pop("case__service__portfolio"): row | {k: row[k].quantize(PENNY) for k in money}
        for row in rows
    }
    empty = dict.fromkeys(("bids", "accepted_bids", "illustrative"), 0) | dict.fromkeys(
        money, ZERO.quantize(PENNY)
    )
    return [Savings(label=label, **found.get(value, empty)) for value, label in Portfolio.choices]


def _total(savings: list[Savings]) -> Savings:
    fields = ("bids", "in_house", "bid", "accepted_bids", "accepted_in_house", "accepted_bid")
    sums = {name: sum(getattr(s, name) for s in savings) for name in (*fields, "illustrative")}
    return Savings(label="All portfolios", **sums)


def _cross() -> list[CrossRow]:
    """Decided cases by the latest assessment's recommendation and the outcome, in one query."""
    latest = (
        Assessment.objects.filter(case=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("recommendation")[:1]
    )
    rows = (
        BusinessCase.objects.filter(status__in=workflow.DECIDED)
        .annotate(recommendation=Subquery(latest))
        .values("recommendation", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {(row["recommendation"], row["outcome"]): row["n"] for row in rows}
    kinds = [*((value, value) for value in Recommendation.values), (None, NOT_ASSESSED)]
    return [
        CrossRow(label, tuple(found.get((value, outcome), 0) for outcome in Outcome.values))
        for value, label in kinds
    ]


def _median_days() -> tuple[int, Decimal | None]:
    """How many decided cases have a submission date, and the median of the days from
    submission to decision, to one decimal place: two queries (the count, then the middle one
    or two rows), so no more than two durations are ever read."""
    decided = Decision.objects.filter(
        case__status__in=workflow.DECIDED, case__submitted_at__isnull=False
    )
    n = decided.count()
    if n == 0:
        return 0, None
    took = ExpressionWrapper(F("decided_at") - F("case__submitted_at"), DurationField())
    middle = list(
        decided.annotate(took=took)
        .order_by("took", "pk")
        .values_list("took", flat=True)[(n - 1) // 2 : n // 2 + 1]
    )
    median = sum(middle, datetime.timedelta()) / len(middle)
    days = Decimal(str(median.total_seconds())) / SECONDS_A_DAY
    return n, days.quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- As charts and as CSV -------------------------------------------------------------------------

SHORT_OUTCOMES = ("Accepted", "Accepted with modification", "Rejected")  # Outcome's order


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: str


def charts(p: Pipeline) -> dict[str, Chart]:
    """The dashboard's charts (server-drawn SVG), by name."""

    def chart(chart_id, title, rows, series=("Cases",), show=str):
        svg = bar_chart(chart_id=chart_id, title=title, rows=rows, series=series, show=show)
        return Chart(chart_id, title, svg)

    def tallies(items):
        return [(t.label, (t.value,)) for t in items]

    return {
        "status": chart("status-chart", "Business cases by status", tallies(p.by_status)),
        "portfolio": chart(
            "portfolio-chart", "Business cases by portfolio", tallies(p.by_portfolio)
        ),
        "district": chart("district-chart", "Business cases by district", tallies(p.by_district)),
        "savings": chart(
            "savings-chart",
            "Savings over the bids’ terms by portfolio: proposed and accepted",
            [(s.label, (s.saving, s.accepted_saving)) for s in [*p.savings, p.savings_total]],
            series=("Proposed", "Accepted"),
            show=pounds,
        ),
        "target": chart(
            "target-chart",
            "Savings against the target",
            [
                ("Proposed", (p.savings_total.saving,)),
                ("Accepted", (p.savings_total.accepted_saving,)),
                ("Target (illustrative)", (p.target,)),
            ],
            series=("Savings",),
            show=pounds,
        ),
        "cross": chart(
            "cross-chart",
            "Decided business cases: the automatic recommendation against the decision",
            [(row.label, row.outcomes) for row in p.cross],
            series=SHORT_OUTCOMES,
        ),
    }


CSV_HEADER = ("section", "figure", "measure", "value")


def csv_rows(p: Pipeline):
    """The dashboard's figures as (section, figure, measure, value) rows: amounts in pounds and
    pence, without a £ sign or commas, so that a spreadsheet can add them up."""
    for section, items, measure in (
        ("Business cases by status", p.by_status, "Cases"),
        ("Business cases by portfolio", p.by_portfolio, "Cases submitted and not withdrawn"),
        ("Business cases by district", p.by_district, "Cases submitted and not withdrawn"),
    ):
        for t in items:
            yield section, t.label, measure, t.value
    for s in [*p.savings, p.savings_total]:
        for measure, value in (
            ("Bids assessed", s.bids),
            ("In-house cost over the bids' terms (£)", s.in_house),
            ("Bids' cost over their terms (£)", s.bid),
            ("Saving proposed (£)", s.saving),
            ("Bids accepted", s.accepted_bids),
            ("Saving accepted (£)", s.accepted_saving),
            ("Bids whose service budget is illustrative", s.illustrative),
        ):
            yield "Savings by portfolio", s.label, measure, value
    section = "Savings against the target"
    yield section, "Target (illustrative)", "£", p.target
    yield section, "Saving proposed", "% of the target", p.proposed_share
    yield section, "Saving accepted", "% of the target", p.accepted_share
    for row in p.cross:
        for outcome, n in zip(p.outcomes, row.outcomes, strict=True):
            yield "Automatic recommendation against the decision", row.label, outcome, n
    section = "Time from submission to decision"
    yield section, "Decided cases", "Cases", p.decided
    yield section, "Decided cases", "Median days", p.median_days
