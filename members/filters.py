"""The members' filters over decided cases: district, portfolio, outcome, the automatic
assessment's recommendation, and the date decided. Widgets carry GOV.UK Frontend classes, as in
the catalogue (services/filters.py), so that the catalogue's field template renders them."""

import django_filters
from django import forms

from bids.models import Outcome
from evaluation.models import Recommendation
from services.filters import district_filter, govuk_fields
from services.models import Portfolio, Service

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"]
DATE_HINT = "For example, 27/3/2026"


class CaseFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("decided_from"), cleaned.get("decided_to")
        if start and end and end < start:
            self.add_error(
                "decided_to", "The ‘to’ date must be the same as or after the ‘from’ date"
            )
        return cleaned


def _date_filter(label: str, lookup: str, name: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        help_text=DATE_HINT,
        field_name="decision__decided_at",
        lookup_expr=f"date__{lookup}",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": f"Enter the {name} as a real date, like 27/3/2026"},
    )


class CaseFilter(django_filters.FilterSet):
    district = district_filter()
    portfolio = django_filters.ChoiceFilter(
        label="Portfolio",
        field_name="service__portfolio",
        choices=Portfolio.choices,
        empty_label="All portfolios",
        error_messages={"invalid_choice": "Select a portfolio from the list"},
    )
    outcome = django_filters.ChoiceFilter(
        label="Outcome",
        field_name="decision__outcome",
        choices=Outcome.choices,
        empty_label="Any outcome",
        error_messages={"invalid_choice": "Select an outcome from the list"},
    )
    recommendation = django_filters.ChoiceFilter(
        label="Automatic assessment’s recommendation",
        field_name="machine_recommendation",  # annotated by members.cases.decided_cases
        choices=Recommendation.choices,
        empty_label="Any recommendation",
        error_messages={"invalid_choice": "Select a recommendation from the list"},
    )
    decided_from = _date_filter("Decided on or after", "gte", "date decided from")
    decided_to = _date_filter("Decided on or before", "lte", "date decided to")

    class Meta:
        form = CaseFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_fields(self, input_width="govuk-input--width-10")  # a date: ten characters

    def filter_district(self, queryset, name, value):
        # A subquery, not a join: a service in several districts must not repeat its cases.
        return queryset.filter(service__in=Service.objects.serving(value))
