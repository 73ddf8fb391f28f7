"""What every admin list needs to hold at 100,000 rows: a page of a fixed size, a count that
stops counting, search that each index can answer, and only the columns the list shows.

`ScaledAdmin` is mixed into every ModelAdmin of the project (and the third-party ones are given
it in kcc_portal/admin.py), so a changelist costs the same at 100 rows as at 100,000:
  - `show_full_result_count = False`: no second COUNT(*) of the whole table beside the filtered one;
  - `EstimatedCountPaginator`: counts exactly up to EXACT_UP_TO rows (within a time limit), and
    past that takes PostgreSQL's estimate (the planner's), so a page never counts 100,000 rows;
    for a search it asks the planner first, and takes an estimate far past the cap as it is;
  - `get_search_results`: on PostgreSQL, for a word few rows have, each search field is matched
    on its own and the matches are united by primary key, so each can use its trigram index (the
    migrations add `gin (UPPER(col::text) gin_trgm_ops)`, the expression Django's `icontains`
    compiles to; one OR across joined tables cannot use any index); a word most rows have, or
    one too short for a trigram ("12"), is tested row by row as the list is walked in its order,
    a related row's field as `foreign key IN (matching rows)`. SQLite keeps Django's own search;
  - `list_defer`: large columns (JSON answers) the list does not show are not read by the list;
    the change page, actions and exports read the whole row.
"""

import json
import re
from functools import cached_property, reduce
from operator import or_

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import lookup_spawns_duplicates, quote
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import OperationalError, connections, transaction
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _

# Counting up to this many rows is quick (a millisecond or two with an index); past it, the
# planner's estimate will do: nobody pages to the 500th page, and search is the way in.
EXACT_UP_TO = 1_000
# A planner's estimate this far past the cap is taken as it is, without counting: counting even
# to the cap would walk tens of thousands of rows where few match ("bid 12": one case in
# fifteen, and no index can find "12").
TRUSTED_ESTIMATE = 10 * EXACT_UP_TO
# A count that must look at every row to find fewer matches than that (a search for a word in
# 6,000 of 100,000 cases, tested row by row) is stopped after this long, and estimated instead.
COUNT_TIME_LIMIT_MS = 50


def planner_estimate(queryset: QuerySet) -> int:
    """The rows PostgreSQL's planner expects the query to return (EXPLAIN; nothing is read)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact counts up to EXACT_UP_TO rows (one capped COUNT, so never more work than that);
    above it on PostgreSQL, or when the count takes longer than COUNT_TIME_LIMIT_MS, the
    planner's estimate (at least the rows already counted). `estimated` says which.

    `estimate_first` (set for a search: where its words are tested row by row, even a capped
    count may walk most rows): the planner is asked first, and an estimate past
    TRUSTED_ESTIMATE is taken without counting; so a search runs the same queries whichever
    way its words are found."""

    estimated = False
    estimate_first = False

    @cached_property
    def count(self):
        rows = self.object_list
        if not isinstance(rows, QuerySet) or connections[rows.db].vendor != "postgresql":
            return super().count
        estimate = planner_estimate(rows) if self.estimate_first else None
        if estimate is not None and estimate > TRUSTED_ESTIMATE:
            self.estimated = True
            return estimate
        capped = _count_within(rows.order_by().values("pk")[: EXACT_UP_TO + 1])
        if capped is not None and capped <= EXACT_UP_TO:
            return capped
        self.estimated = True
        if estimate is None:
            estimate = planner_estimate(rows)
        return max(estimate, capped or 0)


def _count_within(capped: QuerySet) -> int | None:
    """The count, or None if it takes longer than COUNT_TIME_LIMIT_MS. The time limit is set for
    the count alone (in a savepoint: a cancelled count rolls it back, a finished one puts the
    previous limit back)."""
    try:
        with transaction.atomic(using=capped.db), connections[capped.db].cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'),"
                " set_config('statement_timeout', %s, true)",
                [f"{COUNT_TIME_LIMIT_MS}ms"],
            )
            before = cursor.fetchone()[0]
            count = capped.count()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
            return count
    except OperationalError:  # cancelled by the time limit
        return None


class DeferringChangeList(ChangeList):
    """The list reads the rows without the model admin's `list_defer` columns, and makes each
    row's link without the per-row work Django's changelist repeats (a searched page of 50 rows
    cost three times a page of 3)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # The admin adds the list's filters to each row's link (so that saving returns to the
        # same list) with add_preserved_filters, which resolves every row's URL to learn whether
        # it is the changelist itself: it never is. The row links carry them from here instead,
        # and the template tag, given none to add, keeps them as they are.
        self.row_filters, self.preserved_filters = self.preserved_filters, ""
        self._change_url = None

    def get_queryset(self, request, exclude_parameters=None):
        rows = super().get_queryset(request, exclude_parameters)
        deferred = getattr(self.model_admin, "list_defer", ())
        return rows.defer(*deferred) if deferred else rows

    def url_for_result(self, result):
        # One reverse() a page, not one a row: the change URL with a stand-in for the key.
        if self._change_url is None:
            url = super().url_for_result(_StandIn())
            self._change_url = url.split(_StandIn.TEXT)
        before, after = self._change_url
        url = f"{before}{quote(getattr(result, self.pk_attname))}{after}"
        return f"{url}?{self.row_filters}" if self.row_filters else url


class _StandIn:
    """A row whose primary key is text no real key's URL holds."""

    TEXT = "kcc-pk-stand-in"

    def __getattr__(self, name):
        return self.TEXT


def _lookup(field_name: str) -> str:
    # As ModelAdmin.get_search_results reads the prefixes of search_fields.
    if field_name.startswith("^"):
        return f"{field_name[1:]}__istartswith"
    if field_name.startswith("="):
        return f"{field_name[1:]}__iexact"
    if field_name.startswith("@"):
        return f"{field_name[1:]}__search"
    return f"{field_name}__icontains"


def indexable(word: str) -> bool:
    """Whether a trigram index can find the word: pg_trgm takes its trigrams from runs of three
    or more letters or digits, so a shorter word ("12", "B") has none, and a search for it would
    read the whole index (a quarter of a second at 100,000 cases) to test every row anyway."""
    return any(len(run) >= 3 for run in re.findall(r"[^\W_]+", word))


def search_by_each_field(queryset: QuerySet, fields, search_term: str) -> QuerySet:
    """The rows where every word of the search term is in one of `fields`.

    A word few rows have: the union of each field's matches (each found through its own
    index), by primary key. A word more than EXACT_UP_TO rows have (counted with a limit, so
    the count stops there; "community" is in every title), and a word no trigram index can
    find (shorter than three letters or digits: "12"), is tested row by row instead, once the
    other words have narrowed the rows, so that the page, walked in the list's order, stops at
    its 50th row, rather than every match being gathered first. Row by row, a field of a
    related row is tested as `foreign key IN (the related rows that match)`, found once, not by
    joining the related table for each row. Fields across a many-valued relation are always
    matched the first way: row by row they would repeat rows."""
    model = queryset.model
    lookups = [_lookup(str(f)) for f in fields]
    repeats = any(lookup_spawns_duplicates(model._meta, lookup) for lookup in lookups)
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        matches = [
            model._default_manager.filter(**{lookup: bit}).order_by().values("pk")
            for lookup in lookups
        ]
        if not repeats and (
            not indexable(bit) or _more_than(EXACT_UP_TO, matches[0].union(*matches[1:], all=True))
        ):
            queryset = queryset.filter(reduce(or_, (_row_test(model, lk, bit) for lk in lookups)))
        else:
            queryset = queryset.filter(pk__in=matches[0].union(*matches[1:]))
    return queryset


def _more_than(n: int, rows: QuerySet) -> bool:
    return rows[: n + 1].count() > n  # stops at the (n + 1)th row


def _row_test(model, lookup: str, bit: str) -> Q:
    """`lookup` matching `bit`, as a test of the model's own row: `organisation__name__icontains`
    becomes `organisation IN (the organisations whose name contains it)`. Only through foreign
    keys and one-to-one fields; anything else as it is."""
    *path, name, kind = lookup.split("__")
    if not path:
        return Q(**{lookup: bit})
    related = model
    for step in path:
        field = related._meta.get_field(step)
        if not (field.many_to_one or (field.one_to_one and field.concrete)):
            return Q(**{lookup: bit})
        related = field.related_model
    target = field.target_field.name
    matching = related._default_manager.filter(**{f"{name}__{kind}": bit}).values(target)
    return Q(**{f"{'__'.join(path)}__in": matching})


class ScaledAdmin:
    """Mixed into a ModelAdmin: see the module's docstring."""

    list_per_page = 50
    list_max_show_all = 200
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_defer: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        return DeferringChangeList

    def action_checkbox(self, obj):
        # Django's own markup, without rendering a form widget's template for every row (a third
        # of a row's cost in a changelist).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        if not (search_term and fields) or connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        # Matches are found by primary key, so a row matched through a join is never repeated.
        request.kcc_searched = True  # see get_paginator
        return search_by_each_field(queryset, fields, search_term), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        paginator.estimate_first = getattr(request, "kcc_searched", False)
        return paginator


class LatestFormSet(BaseInlineFormSet):
    """An inline's latest `shown` rows, in the `newest_first` order: a read-only inline of a
    list that grows (a case's events) shows the newest. Each row is given the parent it belongs
    to, so that a row naming it (a pack's __str__ names its case) loads nothing more."""

    shown = 20
    newest_first: tuple[str, ...] = ("-pk",)

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            latest = super().get_queryset().order_by(*self.newest_first)[: self.shown]
            for row in latest:  # evaluates the page once; the formset reads the cached rows
                setattr(row, self.fk.name, self.instance)
            self._latest = latest
        return self._latest


class LatestInline:
    """Mixed into a read-only inline: shows the latest `shown` rows (see LatestFormSet)."""

    shown = 20
    newest_first: tuple[str, ...] = ("-pk",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, formset=LatestFormSet, **kwargs)
        formset.shown, formset.newest_first = self.shown, self.newest_first
        return formset


def scaled(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """`admin_class` with ScaledAdmin mixed in (for other packages' admins)."""
    if issubclass(admin_class, ScaledAdmin):
        return admin_class
    # No date_hierarchy: it reads the distinct dates of every row on every page.
    return type(admin_class.__name__, (ScaledAdmin, admin_class), {"date_hierarchy": None})
