"""The catalogue's body written in Python (services/catalogue_html.py) writes what the templates
the rest of the portal still uses write, services/_filter_field.html and _pagination.html."""

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory

from services import catalogue_html
from services.filters import ServiceFilter
from services.models import Service

pytestmark = pytest.mark.django_db


def lines(html):
    """Without blank lines, which the templates leave where a tag writes nothing."""
    return [line for line in html.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=library",
        "q=" + "x" * 101,  # in error
        "q=%22%3E%3Cscript%3E&district=atlantis&sort=random",
        "district=dover&portfolio=adults",
    ],
)
@pytest.mark.parametrize("name", ["q", "directorate", "district", "portfolio", "sort"])
def test_a_form_group_is_the_one_the_template_writes(query, name):
    field = ServiceFilter(QueryDict(query), queryset=Service.objects.all()).form[name]

    ours = catalogue_html.form_group(field)

    assert lines(ours) == lines(render_to_string("services/_filter_field.html", {"field": field}))


@pytest.mark.parametrize("number", [1, 2, 4, 7, 12])
@pytest.mark.parametrize("query", ["", "q=care&page=3", "q=a%26b+%3Cc%3E&open=on", "x=1&x=2"])
def test_the_pagination_is_the_one_the_template_writes(number, query):
    paginator = Paginator(list(range(12 * 20)), 20)
    page = paginator.get_page(number)
    page_range = list(paginator.get_elided_page_range(number, on_ends=1))
    request = RequestFactory().get(f"/services/?{query}")

    ours = catalogue_html.pagination(page, page_range, request.GET)

    context = {"page_obj": page, "page_range": page_range}
    theirs = render_to_string("services/_pagination.html", context, request)
    assert lines(ours) == lines(theirs)
    assert ours.count("&ctdot;") == page_range.count(paginator.ELLIPSIS) > 0


def test_a_single_page_has_no_pagination():
    page = Paginator(list(range(20)), 20).get_page(1)

    assert catalogue_html.pagination(page, [1], QueryDict("")) == ""
