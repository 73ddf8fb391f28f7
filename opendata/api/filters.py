"""Filters of the API's own lists (the catalogue's are services.filters.ServiceFilter, reused)."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from bids.models import Outcome, Status
from services import filters as catalogue
from services.models import Portfolio


class ServiceFilter(catalogue.ServiceFilter):
    """The catalogue's own filters, unchanged; only described for the OpenAPI schema, which
    cannot tell from a filter method that `district` takes a district's slug."""

    @extend_schema_field(OpenApiTypes.STR)
    def filter_district(self, queryset, name, value):
        return super().filter_district(queryset, name, value)


class DecisionFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    portfolio = django_filters.ChoiceFilter(
        field_name="case__service__portfolio", choices=Portfolio.choices
    )
    service = django_filters.CharFilter(
        field_name="case__service__slug", max_length=200, help_text="A service's slug."
    )
    year = django_filters.NumberFilter(
        field_name="published_at__year", min_value=1900, max_value=9999, help_text="Published in."
    )


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    service = django_filters.CharFilter(
        field_name="service__slug", max_length=200, help_text="A service's slug."
    )
