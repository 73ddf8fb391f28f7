"""The catalogue: KCC services, with their budgets and bid windows. Knows nothing of bids."""

import datetime
from decimal import Decimal

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone


class District(models.Model):
    """One of Kent's twelve district and borough council areas."""

    name = models.CharField(max_length=64, unique=True)
    slug = models.SlugField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Directorate(models.Model):
    name = models.CharField(max_length=128, unique=True)
    slug = models.SlugField(max_length=128, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Portfolio(models.TextChoices):
    """The four change portfolios of KCC's transformation programme."""

    ZERO_25 = "0-25", "0-25"
    ADULTS = "adults", "Adults"
    PLACE_BASED = "place-based", "Place-based"
    BUSINESS_CAPABILITY = "business-capability", "Business capability"


class DeliveryModel(models.TextChoices):
    IN_HOUSE = "in-house", "In-house"
    IN_HOUSE_TRADING = "in-house-trading", "In-house, trading externally"
    COMMISSIONED = "commissioned", "Commissioned from an external provider"
    SHARED = "shared", "Shared service with another public body"
    MIXED = "mixed", "Mixed in-house and commissioned"


class ServiceQuerySet(models.QuerySet):
    def open_for_bids(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            excluded_from_challenge=False,
            bid_window_opens__lte=on,
            bid_window_closes__gte=on,
        )

    def serving(self, district):
        """Services delivered in the district, county-wide services included. EXISTS rather
        than a join, so that no row comes twice and no DISTINCT is needed (services/paging.py
        counts the rows beside the page)."""
        in_district = Service.districts.through.objects.filter(
            service_id=models.OuterRef("pk"), district=district
        )
        return self.filter(models.Exists(in_district) | models.Q(county_wide=True))


class SearchDocument(SearchVector):
    """What the catalogue's full-text search matches a service against (services/search.py): its
    name and summary, stemmed in English. On SQLite, the embedded default, nothing: the search
    there matches substrings instead."""

    def __init__(self):
        super().__init__("name", "summary", config="english")

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []

    def deconstruct(self):
        return "services.models.SearchDocument", (), {}


class Service(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="services")
    portfolio = models.CharField(max_length=32, choices=Portfolio.choices)
    county_wide = models.BooleanField(default=False, help_text="Delivered across all of Kent.")
    districts = models.ManyToManyField(District, blank=True, related_name="services")
    gross_budget = models.DecimalField(max_digits=14, decimal_places=2)
    net_budget = models.DecimalField(max_digits=14, decimal_places=2)
    delivery_model = models.CharField(
        "current delivery model", max_length=32, choices=DeliveryModel.choices
    )
    market_review_tranche = models.PositiveSmallIntegerField(null=True, blank=True)
    excluded_from_challenge = models.BooleanField(
        default=False,
        help_text="Excluded from the right to challenge: shown, but never open for bids.",
    )
    bid_window_opens = models.DateField(null=True, blank=True)
    bid_window_closes = models.DateField(null=True, blank=True)
    figures_illustrative = models.BooleanField(
        default=False,
        help_text="The budget figures are illustrative, not taken from a published KCC source.",
    )
    # The catalogue's cached cards are keyed on it (services/cards.py): every save changes it.
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by the database itself (a stored generated column), so that every way of writing a
    # service keeps it right, and searching reads it rather than parsing every row's text.
    search_document = models.GeneratedField(
        expression=SearchDocument(), output_field=SearchVectorField(), db_persist=True
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # What the catalogue filters and sorts by (services/filters.py); name is unique, so
        # indexed already. The search document's GIN index is PostgreSQL's alone: migration 0002.
        indexes = [
            models.Index(fields=["net_budget", "name"], name="service_budget_low_idx"),
            models.Index(
                models.F("net_budget").desc(), models.F("name"), name="service_budget_high_idx"
            ),
            models.Index(fields=["bid_window_closes"], name="service_closes_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gross_budget__gte=0) & models.Q(net_budget__gte=0),
                name="service_budgets_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(bid_window_opens__isnull=True)
                | models.Q(bid_window_closes__isnull=True)
                | models.Q(bid_window_closes__gte=models.F("bid_window_opens")),
                name="service_bid_window_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:detail", kwargs={"slug": self.slug})

    @property
    def income(self) -> Decimal:
        """What the service earns from fees, grants and trading: the gross less the net budget."""
        return self.gross_budget - self.net_budget

    def is_open_for_bids(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            not self.excluded_from_challenge
            and self.bid_window_opens is not None
            and self.bid_window_closes is not None
            and self.bid_window_opens <= on <= self.bid_window_closes
        )
