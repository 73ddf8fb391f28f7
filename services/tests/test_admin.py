import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services import csv_format
from services.factories import DirectorateFactory, ServiceFactory
from services.models import DeliveryModel, District, Portfolio, Service

pytestmark = pytest.mark.django_db


CHANGELIST = reverse("admin:services_service_changelist")


def export(client, services):
    return client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [s.pk for s in services]},
    )


def snapshot():
    """Every service as plain values, districts and directorate by name, to compare two states."""
    return [
        {
            **{
                field: getattr(service, field)
                for field in [
                    "name",
                    "slug",
                    "summary",
                    "portfolio",
                    "county_wide",
                    "gross_budget",
                    "net_budget",
                    "delivery_model",
                    "market_review_tranche",
                    "excluded_from_challenge",
                    "bid_window_opens",
                    "bid_window_closes",
                    "figures_illustrative",
                ]
            },
            "directorate": service.directorate.name,
            "districts": sorted(d.name for d in service.districts.all()),
        }
        for service in Service.objects.order_by("name").prefetch_related("districts")
    ]


@pytest.fixture
def catalogue():
    thanet, dover = District.objects.get(name="Thanet"), District.objects.get(name="Dover")
    return [
        ServiceFactory(
            name="Legal Services",
            summary='KCC\'s in-house legal practice, "already trading".\nSecond line.',
            directorate=DirectorateFactory(name="Business Strategy and Support"),
            portfolio=Portfolio.BUSINESS_CAPABILITY,
            county_wide=True,
            gross_budget=Decimal("9335200"),
            net_budget=Decimal("8224000"),
            delivery_model=DeliveryModel.IN_HOUSE_TRADING,
            market_review_tranche=1,
            bid_window_opens=datetime.date(2098, 4, 1),
            bid_window_closes=datetime.date(2099, 3, 31),
            figures_illustrative=False,
        ),
        ServiceFactory(
            name="Day Centres",
            directorate=DirectorateFactory(name="Families and Social Care"),
            portfolio=Portfolio.ADULTS,
            districts=[thanet, dover],
            gross_budget=Decimal("4100000.50"),
            net_budget=Decimal("3600000"),
            delivery_model=DeliveryModel.MIXED,
            market_review_tranche=None,
            excluded_from_challenge=True,
            bid_window_opens=None,
            bid_window_closes=None,
            figures_illustrative=True,
        ),
    ]


def test_admin_lists_services_with_their_budget_and_whether_open(client, admin_user, catalogue):
    client.force_login(admin_user)

    response = client.get(CHANGELIST)
    html = response.content.decode()

    assert response.status_code == 200
    assert [c.name for c in response.context["cl"].result_list] == ["Day Centres", "Legal Services"]
    assert '<td class="field-net_budget_display">£8,224,000</td>' in html
    assert '<td class="field-market_review_tranche">1</td>' in html
    assert html.count('<td class="field-open_for_bids"><img src=') == 2
    assert html.count('<td class="field-excluded_from_challenge"><img src=') == 2


def test_admin_search_finds_services_by_directorate(client, admin_user, catalogue):
    client.force_login(admin_user)

    response = client.get(CHANGELIST, {"q": "social care"})

    assert [s.name for s in response.context["cl"].result_list] == ["Day Centres"]


def test_admin_filters_services_open_for_bids_today(client, admin_user, catalogue):
    ServiceFactory(name="Open now")
    client.force_login(admin_user)

    response = client.get(CHANGELIST, {"open": "yes"})

    assert [s.name for s in response.context["cl"].result_list] == ["Open now"]


@pytest.mark.parametrize("query", [{"portfolio__exact": "\x00"}, {"q": "social\x00 care"}])
def test_a_nul_in_the_admin_list_filters_or_search_is_not_a_server_error(
    client, admin_user, catalogue, query
):
    client.force_login(admin_user)

    response = client.get(CHANGELIST, query)

    assert response.status_code == 200


def test_admin_changelist_runs_a_constant_number_of_queries(
    client, admin_user, catalogue, django_assert_max_num_queries
):
    ServiceFactory.create_batch(30)
    client.force_login(admin_user)

    # directorate is selected with each service, so 32 rows do not mean 32 more queries
    with django_assert_max_num_queries(15):
        client.get(CHANGELIST)


def test_commissioning_officer_can_open_the_service_admin(client, commissioning_officer, catalogue):
    client.force_login(commissioning_officer)

    assert client.get(CHANGELIST).status_code == 200
    assert client.get(reverse("admin:services_service_add")).status_code == 200


def test_admin_form_refuses_a_net_budget_more_than_the_gross(client, admin_user, catalogue):
    client.force_login(admin_user)
    legal = catalogue[0]

    response = client.post(
        reverse("admin:services_service_change", args=[legal.pk]),
        {
            "name": legal.name,
            "slug": legal.slug,
            "summary": "",
            "directorate": legal.directorate_id,
            "portfolio": legal.portfolio,
            "county_wide": "on",
            "gross_budget": "100",
            "net_budget": "101",
            "delivery_model": legal.delivery_model,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "net_budget": ["The net budget cannot be more than the gross budget."]
    }
    legal.refresh_from_db()
    assert legal.net_budget == Decimal("8224000.00")


@pytest.mark.parametrize("admin_name", ["directorate", "district"])
def test_directorate_and_district_admins_search_by_name(client, admin_user, admin_name):
    DirectorateFactory(name="Growth, Environment and Transport")
    client.force_login(admin_user)

    response = client.get(
        reverse(f"admin:services_{admin_name}_changelist"),
        {"q": "growth" if admin_name == "directorate" else "thanet"},
    )

    assert [str(o) for o in response.context["cl"].result_list] == [
        "Growth, Environment and Transport" if admin_name == "directorate" else "Thanet"
    ]


# --- Export ----------------------------------------------------------------------------------


def test_export_downloads_the_selected_services_in_the_import_format(client, admin_user, catalogue):
    ServiceFactory(name="Not selected")
    client.force_login(admin_user)

    response = export(client, catalogue)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kcc-services-')
    assert response.content.decode("utf-8").splitlines() == [
        "\ufeffname,directorate,portfolio,districts,gross_budget,net_budget,delivery_model,"
        "market_review_tranche,excluded_from_challenge,bid_window_opens,bid_window_closes,"
        "figures_illustrative,summary",
        "Day Centres,Families and Social Care,Adults,Dover; Thanet,4100000.50,3600000.00,"
        'Mixed in-house and commissioned,,yes,,,yes,"What the service does, for whom."',
        "Legal Services,Business Strategy and Support,Business capability,County-wide,"
        '9335200.00,8224000.00,"In-house, trading externally",1,no,2098-04-01,2099-03-31,no,'
        '"KCC\'s in-house legal practice, ""already trading"".',
        'Second line."',
    ]


def test_export_then_import_recreates_the_services_exactly(client, admin_user, catalogue):
    before = snapshot()
    client.force_login(admin_user)
    exported = export(client, catalogue).content.decode("utf-8")
    # Move the originals aside (rather than delete them, which other apps' rows may protect),
    # so that the import has to create every service afresh.
    for service in catalogue:
        Service.objects.filter(pk=service.pk).update(
            name=f"Old {service.name}", slug=f"old-{service.slug}"
        )

    result = csv_format.import_services(io.StringIO(exported, newline=""))

    assert (result.created, result.updated) == (2, 0)
    assert [s for s in snapshot() if not s["name"].startswith("Old ")] == before


def test_export_then_import_restores_every_edited_field(client, admin_user, catalogue):
    before = snapshot()
    client.force_login(admin_user)
    exported = export(client, catalogue).content.decode("utf-8")
    other = DirectorateFactory(name="Growth, Environment and Transport")
    for service in catalogue:
        Service.objects.filter(pk=service.pk).update(
            summary="Edited",
            directorate=other,
            portfolio=Portfolio.ZERO_25,
            county_wide=not service.county_wide,
            gross_budget=Decimal("2"),
            net_budget=Decimal("1"),
            delivery_model=DeliveryModel.SHARED,
            market_review_tranche=9,
            excluded_from_challenge=not service.excluded_from_challenge,
            bid_window_opens=datetime.date(2030, 1, 1),
            bid_window_closes=datetime.date(2030, 1, 2),
            figures_illustrative=not service.figures_illustrative,
        )
        service.districts.set([District.objects.get(name="Swale")])

    result = csv_format.import_services(io.StringIO(exported, newline=""))

    assert (result.created, result.updated) == (0, 2)
    assert snapshot() == before


def test_export_then_import_onto_the_same_catalogue_changes_nothing(client, admin_user, catalogue):
    before = snapshot()
    client.force_login(admin_user)
    exported = export(client, catalogue).content.decode("utf-8")

    result = csv_format.import_services(io.StringIO(exported, newline=""))

    assert (result.created, result.updated) == (0, 2)
    assert snapshot() == before


def test_export_runs_the_same_number_of_queries_for_2_and_22_services(
    client, admin_user, catalogue, django_assert_num_queries
):
    more = ServiceFactory.create_batch(20, districts=District.objects.all()[:3])
    client.force_login(admin_user)
    export(client, catalogue)  # the first request after signing in also rotates the session
    # Measured rather than written down: the admin's own queries (session, user, sidebar
    # filters) are not this action's to fix. What matters is that they do not grow with rows.
    with CaptureQueriesContext(connection) as few:
        export(client, catalogue)

    with django_assert_num_queries(len(few)):
        many = export(client, [*catalogue, *more])

    assert len(list(csv.reader(io.StringIO(many.content.decode())))) == 1 + 22


def test_a_reviewer_who_may_only_view_services_can_export_them(client, reviewer, catalogue):
    client.force_login(reviewer)

    response = export(client, catalogue)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
