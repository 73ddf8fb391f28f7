import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from services.factories import DirectorateFactory, ServiceFactory
from services.filters import ServiceFilter
from services.models import District, Portfolio, Service

pytestmark = pytest.mark.django_db


def title(page):
    return f"<title>{page} \N{EN DASH} Kent right to bid \N{EN DASH} Kent County Council</title>"


URL = reverse("services:list")


def names(response):
    return [service.name for service in response.context["page_obj"]]


def text(response):
    """The page's text without tags or runs of whitespace, to assert on what a reader sees."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def district(name):
    return District.objects.get(name=name)


# --- The list ----------------------------------------------------------------------------------


def test_catalogue_lists_every_service_by_name_with_a_count(client):
    for name in ["Youth Service", "Archives", "Libraries"]:
        ServiceFactory(name=name)

    response = client.get(URL)

    assert response.status_code == 200
    assert names(response) == ["Archives", "Libraries", "Youth Service"]
    assert '<h2 class="govuk-heading-m">3 services</h2>' in response.content.decode()
    assert title("Services") in response.content.decode()


def test_catalogue_says_one_service_in_the_singular(client):
    ServiceFactory()

    response = client.get(URL)

    assert '<h2 class="govuk-heading-m">1 service</h2>' in response.content.decode()


def test_catalogue_shows_a_summary_of_each_service(client):
    ServiceFactory(
        name="Legal Services",
        directorate=DirectorateFactory(name="Business Strategy and Support"),
        portfolio=Portfolio.BUSINESS_CAPABILITY,
        gross_budget=Decimal("9335200"),
        net_budget=Decimal("8224000"),
        figures_illustrative=False,
        districts=[district("Thanet"), district("Dover")],
    )

    page = text(client.get(URL))

    assert (
        "Legal Services Open for bids until "
        f"{days(60).day} {days(60):%B %Y} "
        "Directorate Business Strategy and Support "
        "Portfolio Business capability "
        "Net budget £8,224,000 "
        "Districts Dover, Thanet "
    ) in page
    assert "illustrative figures" not in page


def test_catalogue_links_each_service_to_its_page(client):
    ServiceFactory(name="Legal Services")

    response = client.get(URL)

    assert '<a class="govuk-link" href="/services/legal-services/">Legal Services</a>' in (
        response.content.decode()
    )


def test_catalogue_marks_illustrative_figures(client):
    ServiceFactory(net_budget=Decimal("1500000.50"), figures_illustrative=True)

    assert "Net budget £1,500,000.50 (illustrative figures)" in text(client.get(URL))


def test_catalogue_shows_county_wide_services_as_county_wide(client):
    ServiceFactory(county_wide=True, districts=[district("Swale")])

    assert "Districts County-wide" in text(client.get(URL))


@pytest.mark.parametrize(
    ("fields", "tag"),
    [
        (
            {"bid_window_opens": days(-1), "bid_window_closes": datetime.date(2099, 3, 31)},
            '<strong class="govuk-tag govuk-tag--green">Open for bids until 31 March 2099</strong>',
        ),
        (
            {"bid_window_opens": days(5), "bid_window_closes": days(30)},
            '<strong class="govuk-tag govuk-tag--grey">Not open for bids</strong>',
        ),
        (
            {"bid_window_opens": days(-30), "bid_window_closes": days(-1)},
            '<strong class="govuk-tag govuk-tag--grey">Not open for bids</strong>',
        ),
        (
            {"bid_window_opens": None, "bid_window_closes": None},
            '<strong class="govuk-tag govuk-tag--grey">Not open for bids</strong>',
        ),
        (
            {"excluded_from_challenge": True},
            '<strong class="govuk-tag govuk-tag--orange">Excluded from challenge</strong>',
        ),
    ],
    ids=["open", "opens-later", "closed", "no-window", "excluded"],
)
def test_catalogue_tags_each_service_with_whether_it_is_open_for_bids(client, fields, tag):
    ServiceFactory(**fields)

    assert tag in client.get(URL).content.decode()


def test_catalogue_says_when_nothing_matches(client):
    ServiceFactory(name="Libraries")

    response = client.get(URL, {"q": "zebra"})

    assert names(response) == []
    assert "0 services No services match these filters." in text(response)


def test_catalogue_labels_every_filter(client):
    html = client.get(URL).content.decode()

    for field, label in [
        ("q", "Search"),
        ("directorate", "Directorate"),
        ("portfolio", "Portfolio"),
        ("district", "District"),
        ("budget", "Net budget"),
        ("sort", "Sort by"),
    ]:
        assert f'<label class="govuk-label govuk-label--s" for="id_{field}">{label}</label>' in html
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_open">Open for bids now</label>'
        in html
    )
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">' in html
    assert '<a class="govuk-link" href="/services/">Clear filters</a>' in html


def test_catalogue_filter_hints_are_tied_to_their_fields(client):
    html = client.get(URL).content.decode()

    assert '<div id="q-hint" class="govuk-hint">Name, summary or directorate</div>' in html
    assert (
        '<input type="text" name="q" maxlength="100" class="govuk-input" '
        'aria-describedby="q-hint" id="id_q">'
    ) in html
    assert '<div id="district-hint" class="govuk-hint">County-wide services are included</div>' in (
        html
    )
    assert (
        '<select name="district" class="govuk-select govuk-!-width-full" '
        'aria-describedby="district-hint" id="id_district">'
    ) in html


# --- Search and filters ------------------------------------------------------------------------


def test_search_matches_name_summary_and_directorate_ignoring_case(client):
    ServiceFactory(name="Adult Education")
    ServiceFactory(name="Archives", summary="Kent's records, including adult learners' guides.")
    ServiceFactory(name="Day Centres", directorate=DirectorateFactory(name="Adult Social Care"))
    ServiceFactory(name="Highways")

    response = client.get(URL, {"q": "ADULT"})

    assert names(response) == ["Adult Education", "Archives", "Day Centres"]


def test_search_finds_services_with_every_word_anywhere(client):
    ServiceFactory(name="Day Centres", directorate=DirectorateFactory(name="Adult Social Care"))
    ServiceFactory(name="Adult Education")

    response = client.get(URL, {"q": "  day   adult "})

    assert names(response) == ["Day Centres"]


def test_search_with_a_nul_searches_for_the_rest_without_an_error(client):
    ServiceFactory(name="Adult Education")
    ServiceFactory(name="Highways")

    response = client.get(URL, {"q": "adult\x00 educ\x01ation"})

    assert response.status_code == 200
    assert names(response) == ["Adult Education"]
    assert response.context["form"].errors == {}


@pytest.mark.parametrize(
    "parameter", ["q", "directorate", "portfolio", "district", "budget", "open", "sort", "page"]
)
def test_a_nul_in_any_filter_answers_200(client, parameter):
    ServiceFactory(name="Adult Education")

    response = client.get(URL, {parameter: "\x00"})

    assert response.status_code == 200
    assert names(response) == ["Adult Education"]


def test_directorate_filter_selects_by_slug(client):
    care = DirectorateFactory(name="Adult Social Care")
    ServiceFactory(name="Day Centres", directorate=care)
    ServiceFactory(name="Highways", directorate=DirectorateFactory(name="Growth"))

    response = client.get(URL, {"directorate": "adult-social-care"})

    assert names(response) == ["Day Centres"]
    assert '<option value="adult-social-care" selected>Adult Social Care</option>' in (
        response.content.decode()
    )


def test_portfolio_filter(client):
    ServiceFactory(name="Youth Service", portfolio=Portfolio.ZERO_25)
    ServiceFactory(name="Day Centres", portfolio=Portfolio.ADULTS)

    response = client.get(URL, {"portfolio": "adults"})

    assert names(response) == ["Day Centres"]


def test_district_filter_includes_county_wide_services(client):
    ServiceFactory(name="Margate Library", districts=[district("Thanet")])
    ServiceFactory(name="Dover Library", districts=[district("Dover")])
    ServiceFactory(name="Trading Standards", county_wide=True)

    response = client.get(URL, {"district": "thanet"})

    assert names(response) == ["Margate Library", "Trading Standards"]


def test_district_filter_lists_a_service_once_when_it_matches_twice(client):
    ServiceFactory(
        name="Highways", county_wide=True, districts=[district("Thanet"), district("Swale")]
    )

    response = client.get(URL, {"district": "thanet"})

    assert names(response) == ["Highways"]
    assert response.context["page_obj"].paginator.count == 1


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("under-1m", ["£999,999.99"]),
        ("1m-5m", ["£1,000,000", "£4,999,999.99"]),
        ("5m-10m", ["£5,000,000", "£9,999,999.99"]),
        ("10m-and-over", ["£10,000,000"]),
    ],
)
def test_budget_band_filter_on_net_budget_includes_its_lower_bound(client, band, expected):
    for amount in ["999999.99", "1000000", "4999999.99", "5000000", "9999999.99", "10000000"]:
        ServiceFactory(
            name=f"£{Decimal(amount):,.2f}".removesuffix(".00"),
            net_budget=Decimal(amount),
            gross_budget=Decimal("20000000"),
        )

    response = client.get(URL, {"budget": band})

    assert names(response) == expected


def test_open_filter_shows_only_services_open_for_bids_today(client):
    ServiceFactory(name="Open", bid_window_opens=days(0), bid_window_closes=days(0))
    ServiceFactory(name="Opens tomorrow", bid_window_opens=days(1), bid_window_closes=days(9))
    ServiceFactory(name="Closed yesterday", bid_window_opens=days(-9), bid_window_closes=days(-1))
    ServiceFactory(name="No window", bid_window_opens=None, bid_window_closes=None)
    ServiceFactory(name="Excluded", excluded_from_challenge=True)

    response = client.get(URL, {"open": "on"})

    assert names(response) == ["Open"]
    assert (
        '<input type="checkbox" name="open" class="govuk-checkboxes__input" id="id_open" checked>'
        in response.content.decode()
    )


def test_open_filter_unticked_shows_every_service(client):
    ServiceFactory(name="Open")
    ServiceFactory(name="Excluded", excluded_from_challenge=True)

    assert names(client.get(URL, {"open": ""})) == ["Excluded", "Open"]


def test_filters_combine(client):
    thanet = district("Thanet")
    ServiceFactory(name="Match", portfolio=Portfolio.ADULTS, districts=[thanet])
    ServiceFactory(name="Wrong portfolio", portfolio=Portfolio.ZERO_25, districts=[thanet])
    ServiceFactory(name="Wrong district", portfolio=Portfolio.ADULTS, districts=[district("Dover")])
    ServiceFactory(
        name="Match but closed",
        portfolio=Portfolio.ADULTS,
        districts=[thanet],
        bid_window_closes=days(-1),
    )

    response = client.get(URL, {"portfolio": "adults", "district": "thanet", "open": "on"})

    assert names(response) == ["Match"]


# --- Sorting -------------------------------------------------------------------------------------


@pytest.fixture
def three_budgets():
    ServiceFactory(name="Bravo", net_budget=Decimal("300"), gross_budget=Decimal("300"))
    ServiceFactory(name="Alpha", net_budget=Decimal("100"), gross_budget=Decimal("300"))
    ServiceFactory(name="Charlie", net_budget=Decimal("200"), gross_budget=Decimal("300"))
    ServiceFactory(name="Delta", net_budget=Decimal("200"), gross_budget=Decimal("300"))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("name", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("budget-high", ["Bravo", "Charlie", "Delta", "Alpha"]),
        ("budget-low", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ],
)
def test_sort_orders_by_name_or_net_budget_with_name_breaking_ties(
    client, three_budgets, sort, expected
):
    response = client.get(URL, {"sort": sort} if sort else {})

    assert names(response) == expected


def test_sort_by_closing_date_puts_services_still_taking_bids_first_soonest_first(client):
    ServiceFactory(name="Closes in a week", bid_window_closes=days(7))
    ServiceFactory(name="Closes today", bid_window_closes=days(0))
    ServiceFactory(name="Opens next month", bid_window_opens=days(30), bid_window_closes=days(60))
    ServiceFactory(name="A closed one", bid_window_opens=days(-9), bid_window_closes=days(-1))
    ServiceFactory(name="B no window", bid_window_opens=None, bid_window_closes=None)
    ServiceFactory(name="C excluded", excluded_from_challenge=True, bid_window_closes=days(1))

    response = client.get(URL, {"sort": "closing"})

    assert names(response) == [
        "Closes today",
        "Closes in a week",
        "Opens next month",
        "A closed one",
        "B no window",
        "C excluded",
    ]


def test_sort_by_closing_date_works_with_the_district_filter(client):
    ServiceFactory(name="Later", county_wide=True, bid_window_closes=days(9))
    ServiceFactory(name="Sooner", districts=[district("Thanet")], bid_window_closes=days(2))

    response = client.get(URL, {"sort": "closing", "district": "thanet"})

    assert names(response) == ["Sooner", "Later"]


# --- Pagination ----------------------------------------------------------------------------------


@pytest.fixture
def page_size(settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    return 2


def test_catalogue_paginates_with_the_configured_page_size(client, page_size):
    for name in ["A", "B", "C", "D", "E"]:
        ServiceFactory(name=name)

    response = client.get(URL, {"page": 3})

    assert names(response) == ["E"]
    assert "5 services Showing 5 to 5 of 5" in text(response)


def test_pagination_links_keep_the_filters(client, page_size):
    for name in ["A", "B", "C", "D", "E"]:
        ServiceFactory(name=name, portfolio=Portfolio.ADULTS)
    ServiceFactory(name="Other", portfolio=Portfolio.ZERO_25)

    response = client.get(URL, {"portfolio": "adults", "q": "", "page": 2})
    html = response.content.decode()

    assert names(response) == ["C", "D"]
    assert 'href="?portfolio=adults&amp;q=&amp;page=1" rel="prev"' in html
    assert 'href="?portfolio=adults&amp;q=&amp;page=3" rel="next"' in html
    assert (
        '<a class="govuk-link govuk-pagination__link" href="?portfolio=adults&amp;q=&amp;page=2"'
        ' aria-label="Page 2" aria-current="page">2</a>'
    ) in html


def test_pagination_is_not_shown_on_a_single_page(client, page_size):
    ServiceFactory.create_batch(2)

    assert "govuk-pagination" not in client.get(URL).content.decode()


@pytest.mark.parametrize(("page", "expected"), [("abc", ["A", "B"]), ("99", ["C"]), ("-1", ["C"])])
def test_an_invalid_page_number_shows_the_first_or_last_page(client, page_size, page, expected):
    for name in ["A", "B", "C"]:
        ServiceFactory(name=name)

    response = client.get(URL, {"page": page})

    assert response.status_code == 200
    assert names(response) == expected


# --- Invalid input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("directorate", "no-such-directorate", "Select a directorate from the list"),
        ("portfolio", "pensions", "Select a portfolio from the list"),
        ("district", "atlantis", "Select a district from the list"),
        ("budget", "lots", "Select a net budget from the list"),
        ("sort", "random", "Select a sort order from the list"),
        ("q", "x" * 101, "Search must be 100 characters or fewer"),
    ],
)
def test_an_invalid_filter_shows_the_error_summary_and_is_ignored(client, field, value, message):
    ServiceFactory(name="Adults service", portfolio=Portfolio.ADULTS)
    ServiceFactory(name="Children's service", portfolio=Portfolio.ZERO_25)

    response = client.get(URL, {field: value})
    html = response.content.decode()

    assert response.status_code == 200
    assert names(response) == ["Adults service", "Children's service"]
    assert html.count(message) == 2  # in the summary and beside the field
    assert f'<li><a href="#id_{field}">{message}</a></li>' in html
    assert (
        f'<p id="{field}-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {message}</p>'
    ) in html
    hint = f"{field}-hint " if field in {"q", "district"} else ""
    assert f'aria-describedby="{hint}{field}-error"' in html
    assert title("Error: Services") in html


def test_an_invalid_filter_does_not_stop_the_valid_ones(client):
    ServiceFactory(name="Adults service", portfolio=Portfolio.ADULTS)
    ServiceFactory(name="Children's service", portfolio=Portfolio.ZERO_25)

    response = client.get(URL, {"portfolio": "adults", "district": "atlantis"})

    assert names(response) == ["Adults service"]


def test_a_valid_page_has_no_error_summary(client):
    ServiceFactory()

    html = client.get(URL, {"portfolio": "adults", "sort": "closing"}).content.decode()

    assert "govuk-error-summary" not in html
    assert 'aria-invalid="true"' not in html


# --- Queries -------------------------------------------------------------------------------------

# the page of services with their directorates and the number of them, their districts, and the
# choices of the directorate and district selects (one query; in a test's transaction the
# catalogue's cache is not used: services/catalogue_cache.py)
LIST_QUERIES = 3


@pytest.mark.parametrize("services", [1, 50])
def test_catalogue_runs_the_same_number_of_queries_however_many_services(
    client, django_assert_num_queries, services
):
    for n in range(services):
        ServiceFactory(
            directorate=DirectorateFactory(name=f"Directorate {n % 7}"),
            districts=[district("Thanet"), district("Dover")],
        )

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL)

    assert len(response.context["cards"]) == min(services, 20)


def test_filtered_catalogue_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    care = DirectorateFactory(name="Adult Social Care")
    for _ in range(30):
        ServiceFactory(directorate=care, districts=[district("Thanet")], portfolio=Portfolio.ADULTS)

    # the chosen directorate and district are checked against the choices read already; one
    # more for the search, to make its words tsqueries
    with django_assert_num_queries(LIST_QUERIES + 1):
        response = client.get(
            URL,
            {
                "q": "service",
                "district": "thanet",
                "directorate": "adult-social-care",
                "portfolio": "adults",
                "budget": "1m-5m",
                "open": "on",
                "sort": "closing",
            },
        )

    assert response.context["page_obj"].paginator.count == 30


@pytest.mark.django_db
def test_two_filtersets_made_at_once_each_filter_with_their_own_words_and_choices():
    # Filters are copied shallowly for each FilterSet (services/filters.py): each copy's method
    # must be its own FilterSet's, and the filters as declared must keep no FilterSet.
    housing = DirectorateFactory(name="Housing", slug="housing")
    ServiceFactory(name="Library van", directorate=housing)
    ServiceFactory(name="Road gritting")
    libraries = ServiceFilter({"q": "library"}, queryset=Service.objects.all())
    services = Service.objects.all()
    roads = ServiceFilter({"q": "gritting", "directorate": "housing"}, queryset=services)

    assert [s.name for s in libraries.qs] == ["Library van"]
    assert [s.name for s in roads.qs] == []
    assert libraries.filters["q"].parent is libraries
    assert roads.filters["q"].parent is roads
    assert not hasattr(ServiceFilter.base_filters["q"], "parent")
    assert ServiceFilter.base_filters["directorate"].extra is not roads.filters["directorate"].extra
