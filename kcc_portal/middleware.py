"""Middleware of the portal's own."""

from django.http import QueryDict
from django.utils.http import urlencode

from kcc_portal.text import strip_from_lists


class StripControlCharactersFromQueryString:
    """Removes control characters (see kcc_portal/text.py) from every query string's names and
    values before any view reads them.

    Query strings reach the database in many places the portal does not write itself: the
    admin's list filters (`?portfolio__exact=%00` was a server error on PostgreSQL, which refuses
    NUL in a query) as well as the catalogue's search and filters. One guard here covers them
    all. Nothing is stored, so there is nothing to tell the person: a search for "care%00"
    simply searches for "care".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING"):
            cleaned, removed = strip_from_lists(request.GET.lists())
            if removed:
                # Built from a query string, so that it is immutable like the one it replaces.
                request.GET = QueryDict(urlencode(cleaned, doseq=True))
        return self.get_response(request)
