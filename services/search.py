"""The catalogue's search: every word typed must appear in a service's name, its summary or its
directorate's name ("day adult" finds "Day Centres" of Adult Social Care).

On PostgreSQL, full-text search in English: words are stemmed ("libraries" finds "Library") and
each is also a prefix ("educ" finds "Education"), matched against each service's stored search
document (Service.search_document) through its GIN index (migration 0002). On SQLite, the
embedded default, a plain case-insensitive substring search instead: fine for a few hundred
services."""

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connections, models
from django.db.models import F, Func, Q
from django.db.models.lookups import Exact, Lookup

from services.models import Directorate

CONFIG = "english"  # as Service.search_document's
DIRECTORATE_DOCUMENT = SearchVector("name", config=CONFIG)

_TOKEN = re.compile(r"\w+")


def search(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Services of `queryset` matching every word of `text` (words split on white space)."""
    words = text.split()
    if connections[queryset.db].vendor == "postgresql":
        return _full_text(queryset, words)
    return _substring(queryset, words)


def prefix_query(word: str) -> str | None:
    """A word as a to_tsquery expression: each of its runs of letters and digits as a prefix,
    all of them required ("children's" gives 'children':* & 's':*). None when it has none, like
    "£" or "-". Only letters, digits and underscores reach the query, inside quotes, so nothing
    typed can be read as tsquery syntax."""
    tokens = _TOKEN.findall(word)
    if not tokens:
        return None
    return " & ".join(f"'{token}':*" for token in tokens)


def _full_text(queryset, words):
    for word in words:
        expression = prefix_query(word)
        if expression is None:
            continue
        query = SearchQuery(expression, search_type="raw", config=CONFIG)
        directorates = Directorate.objects.filter(SearchVectorExact(DIRECTORATE_DOCUMENT, query))
        queryset = queryset.filter(
            Q(search_document=query)
            # = ANY(ARRAY(…)), not IN (…): a list worked out once, so that PostgreSQL can look
            # the services up through the directorate index and OR them with the search index.
            | Q(IsAnyOf(F("directorate_id"), ArraySubquery(directorates.order_by().values("pk"))))
            # A stop word ("the", "and") leaves an empty query, which matches nothing: ignore
            # it, as a search engine would. Worked out once, when the query is planned.
            | Q(Exact(Func(query, function="numnode", output_field=models.IntegerField()), 0))
        )
    return queryset


class IsAnyOf(Lookup):
    """`lhs = ANY(rhs)`, rhs an array: Django's `__in` with a subquery gives `IN (subquery)`."""

    lookup_name = "is_any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _substring(queryset, words):
    for word in words:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(directorate__name__icontains=word)
        )
    return queryset
