"""The catalogue's search: every word typed must appear in a service's name, its summary or its
directorate's name ("day adult" finds "Day Centres" of Adult Social Care).

On PostgreSQL, full-text search in English: words are stemmed ("libraries" finds "Library") and
each is also a prefix ("educ" finds "Education"), matched against each service's stored search
document (Service.search_document) through its GIN index (migration 0002). On SQLite, the
embedded default, a plain case-insensitive substring search instead: fine for a few hundred
services."""

import re

from django.db import connections, models
from django.db.models import F, Q
from django.db.models.lookups import Lookup

CONFIG = "english"  # as Service.search_document's

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
    for query, directorate_ids in _parsed(queryset.db, words):
        matches = Q(Matches(F("search_document"), query))
        if directorate_ids:
            matches |= Q(directorate_id__in=directorate_ids)
        queryset = queryset.filter(matches)
    return queryset


# Each word's tsquery, made by PostgreSQL (stemming is its own), as text, whether it is empty (a
# stop word such as "the" leaves nothing: ignored, as a search engine would) and the directorates
# whose names match it. One small query, so that the search itself has only constants in it:
# PostgreSQL then plans it through the indexes (the search document's and the directorate's,
# ORed), which it would not with functions of the words inside, and counts a thousand matches in
# a millisecond rather than scanning every service.
_PARSE = """
    SELECT q::text, numnode(q) = 0, ARRAY(
        SELECT d.id FROM services_directorate d
        WHERE to_tsvector(%(config)s::regconfig, COALESCE(d.name, '')) @@ q
    )
    FROM unnest(%(words)s::text[]) WITH ORDINALITY AS typed(expression, position),
        LATERAL to_tsquery(%(config)s::regconfig, typed.expression) AS q
    ORDER BY typed.position
"""


def _parsed(alias, words) -> list[tuple[str, list[int]]]:
    expressions = [e for e in map(prefix_query, words) if e is not None]
    if not expressions:
        return []
    with connections[alias].cursor() as cursor:
        cursor.execute(_PARSE, {"config": CONFIG, "words": expressions})
        return [(query, ids) for query, empty, ids in cursor.fetchall() if not empty]


class Matches(Lookup):
    """`document @@ 'query'::tsquery`, the query a tsquery already (text from PostgreSQL)."""

    lookup_name = "matches_tsquery"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", (*lhs_params, *rhs_params)


def _substring(queryset, words):
    for word in words:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(directorate__name__icontains=word)
        )
    return queryset
