"""The public catalogue's filters: search, directorate, portfolio, district, budget band, open for
bids, and the sort order. The form's widgets carry GOV.UK Frontend classes so that templates can
render each one with `{{ field }}`."""

import copy
import functools
from decimal import Decimal

import django_filters
import django_filters.fields
from django import forms
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django_filters.filters import FilterMethod

from services import widgets
from services.models import Directorate, District, Portfolio
from services.search import search


class _ChoicesInOneQuery(forms.models.ModelChoiceIterator):
    """Django reads a select's model choices with QuerySet.iterator(): on PostgreSQL a
    server-side cursor, three round trips (DECLARE, FETCH, CLOSE) for a dozen rows, on every
    page. One plain query instead."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        objects = self.field.objects
        if objects is None:
            objects = self.queryset.all()  # .all(): read afresh on each render, as Django does
        for obj in objects:
            yield self.choice(obj)


class _ChoiceIterator(django_filters.fields.ModelChoiceIterator, _ChoicesInOneQuery):
    pass


class _ModelChoiceField(django_filters.fields.ModelChoiceField):
    """Given its choices already read (`choices_of`, from ServiceFilter's `choices`), offers
    and checks a choice against them: no query."""

    iterator = _ChoiceIterator
    choices_of = None  # gives the choices read already (made only if asked for), or None

    @property
    def objects(self):
        return None if self.choices_of is None else self.choices_of()

    def to_python(self, value):
        # the empty value first: the choices are made into instances only when one is chosen
        if value in self.empty_values or (objects := self.objects) is None:
            return super().to_python(value)
        for obj in objects:
            if getattr(obj, self.to_field_name or "pk") == value:
                return obj
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class _CopiedPerRequest:
    """A filter that each FilterSet copies shallowly: django-filter deep-copies every filter for
    every FilterSet made (their widgets, choices and querysets with them), a tenth of a search's
    time in Python, though all a copy gains of its own is its FilterSet (`parent`) and the
    `method` bound to it. Its `extra` (the field's arguments, which a model choice filter writes
    its queryset into) is copied too; the form's fields are made once a process from copies
    (ServiceFilter._form_class) and deep-copied by each form, as Django does."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.extra = dict(self.extra)
        if isinstance(self.__dict__.get("filter"), FilterMethod):
            copied.filter = FilterMethod(copied)  # its method looked up on the copy's parent
        return copied


class CharFilter(_CopiedPerRequest, django_filters.CharFilter):
    pass


class ChoiceFilter(_CopiedPerRequest, django_filters.ChoiceFilter):
    pass


class BooleanFilter(_CopiedPerRequest, django_filters.BooleanFilter):
    pass


class ModelChoiceFilter(_CopiedPerRequest, django_filters.ModelChoiceFilter):
    field_class = _ModelChoiceField


def _all(model):
    """A model choice filter's queryset, as a function of the request (which django-filter
    calls when it makes the field): a filter's arguments are deep-copied for every FilterSet
    made, and a QuerySet's deep copy was a quarter of the cost of the catalogue's."""
    return lambda request: model.objects.all()


def district_filter() -> django_filters.ModelChoiceFilter:
    """A Kent district, by slug, county-wide services included: the FilterSet using it gives a
    `filter_district` method (Service.objects.serving does the work)."""
    return ModelChoiceFilter(
        label="District",
        help_text="County-wide services are included",
        queryset=_all(District),
        to_field_name="slug",
        method="filter_district",
        empty_label="All of Kent",
        widget=widgets.Select,
        error_messages={"invalid_choice": "Select a district from the list"},
    )


class BudgetBand(models.TextChoices):
    UNDER_1M = "under-1m", "Under £1 million"
    FROM_1M_TO_5M = "1m-5m", "£1 million to £5 million"
    FROM_5M_TO_10M = "5m-10m", "£5 million to £10 million"
    FROM_10M = "10m-and-over", "£10 million and over"


MILLION = Decimal(1_000_000)
# Each band includes its lower bound and excludes its upper: £5,000,000 is in "£5m to £10m".
BUDGET_BANDS = {
    BudgetBand.UNDER_1M: (None, MILLION),
    BudgetBand.FROM_1M_TO_5M: (MILLION, 5 * MILLION),
    BudgetBand.FROM_5M_TO_10M: (5 * MILLION, 10 * MILLION),
    BudgetBand.FROM_10M: (10 * MILLION, None),
}


class SortOrder(models.TextChoices):
    NAME = "name", "Name, A to Z"
    BUDGET_HIGH_LOW = "budget-high", "Net budget, highest first"
    BUDGET_LOW_HIGH = "budget-low", "Net budget, lowest first"
    CLOSING_SOONEST = "closing", "Closing date, soonest first"


def govuk_fields(filterset, *, input_width: str | None = None) -> None:
    """Gives each field of the filterset's form its widget's GOV.UK class (the same name with
    --error when the field is in error), a width for the narrow filter column (a select fills
    it; a text input takes `input_width`, if given), and aria-describedby naming its hint and
    error. Every filter column (the catalogue, the register, the members' list) is styled so."""
    for name, field in filterset.form.fields.items():
        if isinstance(field.widget, forms.Select):
            css, width = "govuk-select", "govuk-!-width-full"
        elif isinstance(field.widget, forms.CheckboxInput):
            css, width = "govuk-checkboxes__input", None
        else:
            css, width = "govuk-input", input_width
        classes = [css, width] if width else [css]
        described_by = [f"{name}-hint"] if field.help_text else []
        if filterset.is_bound and name in filterset.form.errors:
            classes.append(f"{css}--error")
            described_by.append(f"{name}-error")
        field.widget.attrs["class"] = " ".join(classes)
        if described_by:
            # set here, so that Django does not add its own id for the help text
            field.widget.attrs["aria-describedby"] = " ".join(described_by)


class ServiceFilter(django_filters.FilterSet):
    q = CharFilter(
        label="Search",
        help_text="Name, summary or directorate",
        method="filter_search",
        max_length=100,
        widget=widgets.TextInput,
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
    directorate = ModelChoiceFilter(
        label="Directorate",
        queryset=_all(Directorate),
        to_field_name="slug",
        empty_label="All directorates",
        widget=widgets.Select,
        error_messages={"invalid_choice": "Select a directorate from the list"},
    )
    portfolio = ChoiceFilter(
        label="Portfolio",
        choices=Portfolio.choices,
        empty_label="All portfolios",
        widget=widgets.Select,
        error_messages={"invalid_choice": "Select a portfolio from the list"},
    )
    district = district_filter()
    budget = ChoiceFilter(
        label="Net budget",
        choices=BudgetBand.choices,
        method="filter_budget",
        empty_label="Any amount",
        widget=widgets.Select,
        error_messages={"invalid_choice": "Select a net budget from the list"},
    )
    open = BooleanFilter(
        label="Open for bids now",
        widget=widgets.CheckboxInput,
        method="filter_open",
    )
    sort = ChoiceFilter(
        label="Sort by",
        choices=SortOrder.choices,
        method="sort_by",
        empty_label=None,
        widget=widgets.Select,
        error_messages={"invalid_choice": "Select a sort order from the list"},
    )

    def __init__(self, *args, today=None, choices=None, **kwargs):
        """`choices`, if given: the directorates and districts read already
        (services.catalogue_cache.Choices), which the selects then offer and check against."""
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if choices is not None:
            self.form.fields["directorate"].choices_of = lambda: choices.directorates
            self.form.fields["district"].choices_of = lambda: choices.districts
        govuk_fields(self)

    @classmethod
    @functools.cache
    def _form_class(cls):
        # as django-filter's get_form_class, from copies of the filters as declared
        fields = {name: copy.deepcopy(f).field for name, f in cls.base_filters.items()}
        return type(f"{cls.__name__}Form", (cls._meta.form,), fields)

    def get_form_class(self):
        """The form's class, made once a process: django-filter makes a new one for each
        FilterSet from its filters' fields, which are the same every time (the form copies
        them for each request, choices and all)."""
        return self._form_class()

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_district(self, queryset, name, value):
        return queryset.serving(value)

    def filter_budget(self, queryset, name, value):
        low, high = BUDGET_BANDS[value]
        if low is not None:
            queryset = queryset.filter(net_budget__gte=low)
        if high is not None:
            queryset = queryset.filter(net_budget__lt=high)
        return queryset

    def filter_open(self, queryset, name, value):
        return queryset.open_for_bids(on=self.today) if value else queryset

    def sort_by(self, queryset, name, value):
        # Name breaks every tie, so that pages never shuffle between requests.
        if value == SortOrder.BUDGET_HIGH_LOW:
            return queryset.order_by("-net_budget", "name")
        if value == SortOrder.BUDGET_LOW_HIGH:
            return queryset.order_by("net_budget", "name")
        if value == SortOrder.CLOSING_SOONEST:
            # Services still taking bids first, by closing date; then those not taking any
            # (closed, excluded or with no window set), by name.
            still_open = Q(excluded_from_challenge=False, bid_window_closes__gte=self.today)
            return queryset.annotate(
                closed=Case(When(still_open, then=Value(0)), default=Value(1)),
                closing=Case(
                    When(still_open, then=F("bid_window_closes")),
                    default=None,
                    output_field=models.DateField(),
                ),
            ).order_by("closed", "closing", "name")
        return queryset.order_by("name")
