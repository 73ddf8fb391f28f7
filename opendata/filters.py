"""The public register's filters: portfolio, district, outcome and the year decided. Widgets
carry GOV.UK Frontend classes, as in the catalogue (services/filters.py), so that the catalogue's
field template renders them."""

import django_filters
from django.utils import timezone

from bids.models import Outcome
from services.filters import district_filter, govuk_fields
from services.models import Portfolio, Service

# The community right to challenge came into force in June 2012: no decision is older.
FIRST_YEAR = 2012


def years() -> list[tuple[str, str]]:
    """Every year a decision could have been made in, newest first: no query, and a year with
    no decisions simply finds none."""
    return [(str(y), str(y)) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class DecisionFilter(django_filters.FilterSet):
    portfolio = django_filters.ChoiceFilter(
        label="Portfolio",
        field_name="case__service__portfolio",
        choices=Portfolio.choices,
        empty_label="All portfolios",
        error_messages={"invalid_choice": "Select a portfolio from the list"},
    )
    district = district_filter()
    outcome = django_filters.ChoiceFilter(
        label="Outcome",
        choices=Outcome.choices,
        empty_label="Any outcome",
        error_messages={"invalid_choice": "Select an outcome from the list"},
    )
    year = django_filters.ChoiceFilter(
        label="Year decided",
        field_name="decided_at",
        lookup_expr="year",
        choices=years,
        empty_label="Any year",
        error_messages={"invalid_choice": "Select a year from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_fields(self)

    def filter_district(self, queryset, name, value):
        # A subquery, not a join: a service in several districts must not repeat its decisions.
        return queryset.filter(case__service__in=Service.objects.serving(value))
