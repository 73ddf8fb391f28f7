import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from services.factories import DirectorateFactory, ServiceFactory
from services.models import DeliveryModel, District, Portfolio

pytestmark = pytest.mark.django_db


def title(page):
    return f"<title>{page} \N{EN DASH} Kent right to bid \N{EN DASH} Kent County Council</title>"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def summary_list(response) -> dict[str, str]:
    """The page's GOV.UK summary list as {key: value}, in the words a reader sees."""
    html = response.content.decode()
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="govuk-summary-list__value[^"]*">(.*?)</dd>',
        html,
        flags=re.DOTALL,
    )
    return {
        key.strip(): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)).strip()
        for key, value in rows
    }


@pytest.fixture
def legal_services():
    return ServiceFactory(
        name="Legal Services",
        summary="KCC's in-house legal practice.",
        directorate=DirectorateFactory(name="Business Strategy and Support"),
        portfolio=Portfolio.BUSINESS_CAPABILITY,
        districts=[District.objects.get(name="Thanet"), District.objects.get(name="Ashford")],
        gross_budget=Decimal("9335200"),
        net_budget=Decimal("8224000"),
        delivery_model=DeliveryModel.IN_HOUSE_TRADING,
        market_review_tranche=1,
        bid_window_opens=days(-1),
        bid_window_closes=datetime.date(2099, 3, 31),
        figures_illustrative=False,
    )


def test_service_page_shows_the_service_in_a_summary_list(client, legal_services):
    response = client.get("/services/legal-services/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Legal Services</h1>' in html
    assert '<p class="govuk-body-l">KCC&#x27;s in-house legal practice.</p>' in html
    assert (
        '<strong class="govuk-tag govuk-tag--green">Open for bids until 31 March 2099</strong>'
        in html
    )
    assert summary_list(response) == {
        "Directorate": "Business Strategy and Support",
        "Portfolio": "Business capability",
        "Districts": "Ashford, Thanet",
        "Current delivery model": "In-house, trading externally",
        "Market review tranche": "Tranche 1",
        "Gross budget": "£9,335,200",
        "Net budget": "£8,224,000",
        "Income": "£1,111,200 Fees, grants and trading: the gross less the net budget",
        "Open for bids": "Yes, until 31 March 2099",
    }
    assert title("Legal Services") in html


def test_service_page_has_a_back_link_to_the_catalogue(client, legal_services):
    html = client.get(legal_services.get_absolute_url()).content.decode()

    assert (
        '<a href="/services/" class="govuk-back-link govuk-!-margin-top-0 govuk-!-margin-bottom-6">'
        "Back to all services</a>"
    ) in html


def test_service_page_says_when_figures_are_illustrative(client):
    service = ServiceFactory(figures_illustrative=True)

    html = client.get(service.get_absolute_url()).content.decode()

    assert (
        '<div class="govuk-inset-text">The budget figures for this service are illustrative. '
        "They are examples, not taken from a published Kent County Council budget.</div>"
    ) in html


def test_service_page_has_no_illustrative_notice_for_published_figures(client, legal_services):
    html = client.get(legal_services.get_absolute_url()).content.decode()

    assert "govuk-inset-text" not in html


def test_service_page_shows_county_wide_and_an_unscheduled_tranche(client):
    service = ServiceFactory(county_wide=True, market_review_tranche=None)

    rows = summary_list(client.get(service.get_absolute_url()))

    assert rows["Districts"] == "County-wide"
    assert rows["Market review tranche"] == "Not yet scheduled"


@pytest.mark.parametrize(
    ("fields", "sentence", "tag"),
    [
        (
            {"bid_window_opens": datetime.date(2099, 5, 1), "bid_window_closes": None},
            "Not yet: opens on 1 May 2099",
            "Not open for bids",
        ),
        (
            {
                "bid_window_opens": datetime.date(2099, 5, 1),
                "bid_window_closes": datetime.date(2099, 7, 31),
            },
            "Not yet: opens on 1 May 2099 and closes on 31 July 2099",
            "Not open for bids",
        ),
        (
            {
                "bid_window_opens": datetime.date(2020, 1, 1),
                "bid_window_closes": datetime.date(2020, 3, 31),
            },
            "No: closed on 31 March 2020",
            "Not open for bids",
        ),
        (
            {"bid_window_opens": None, "bid_window_closes": None},
            "No: no bid window has been set",
            "Not open for bids",
        ),
        (
            {"excluded_from_challenge": True},
            "No: excluded from the right to challenge",
            "Excluded from challenge",
        ),
    ],
    ids=["opens-later", "opens-later-with-close", "closed", "no-window", "excluded"],
)
def test_service_page_says_whether_and_when_it_is_open_for_bids(client, fields, sentence, tag):
    service = ServiceFactory(**fields)

    response = client.get(service.get_absolute_url())

    assert summary_list(response)["Open for bids"] == sentence
    assert f">{tag}</strong>" in response.content.decode()


def test_unknown_service_is_404(client):
    assert client.get("/services/no-such-service/").status_code == 404


def test_service_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    districts = District.objects.all()[:6]
    service = ServiceFactory(districts=list(districts))

    # the service with its directorate, then its districts
    with django_assert_num_queries(2):
        client.get(service.get_absolute_url())
