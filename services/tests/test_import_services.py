import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from services.csv_format import COLUMNS
from services.factories import DirectorateFactory, ServiceFactory
from services.models import DeliveryModel, Directorate, District, Portfolio, Service

pytestmark = pytest.mark.django_db


KNOWN_DISTRICTS = (
    "Ashford, Canterbury, Dartford, Dover, Folkestone and Hythe, Gravesham, Maidstone, "
    "Sevenoaks, Swale, Thanet, Tonbridge and Malling, Tunbridge Wells"
)

LEGAL = {
    "name": "Legal Services",
    "directorate": "Business Strategy and Support",
    "portfolio": "Business capability",
    "districts": "County-wide",
    "gross_budget": "£9,335,200",
    "net_budget": "8224000",
    "delivery_model": "In-house, trading externally",
    "market_review_tranche": "1",
    "excluded_from_challenge": "no",
    "bid_window_opens": "2026-04-01",
    "bid_window_closes": "2027-03-31",
    "figures_illustrative": "no",
    "summary": "KCC's in-house legal practice.",
}
DAY_CENTRES = {
    "name": "Day Centres",
    "directorate": "Families and Social Care",
    "portfolio": "adults",
    "districts": "Thanet; Dover",
    "gross_budget": "4100000.50",
    "net_budget": "3,600,000",
    "delivery_model": "commissioned",
    "market_review_tranche": "",
    "excluded_from_challenge": "",
    "bid_window_opens": "",
    "bid_window_closes": "",
    "figures_illustrative": "yes",
    "summary": "",
}


def write_csv(tmp_path, *rows, columns=COLUMNS, name="services.csv"):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_services", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def errors_from(path):
    """Runs an import that must fail and save nothing; returns the problems it printed."""
    services_before = set(Service.objects.values_list("name", flat=True))
    directorates_before = Directorate.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_services", str(path), stdout=io.StringIO(), stderr=err)
    problems = err.getvalue().splitlines()
    count = len(problems)
    assert str(failure.value) == (
        f"{count} problem{'s' if count != 1 else ''} in {path}: nothing was imported."
    )
    assert set(Service.objects.values_list("name", flat=True)) == services_before
    assert Directorate.objects.count() == directorates_before
    return problems


# --- Success -------------------------------------------------------------------------------------


def test_import_creates_services_from_every_column(tmp_path):
    out, err = run(write_csv(tmp_path, LEGAL, DAY_CENTRES))

    assert out == "Imported 2 services (2 created, 0 updated)\n"
    assert err == ""
    legal = Service.objects.get(name="Legal Services")
    assert legal.slug == "legal-services"
    assert legal.directorate.name == "Business Strategy and Support"
    assert legal.directorate.slug == "business-strategy-and-support"
    assert legal.portfolio == Portfolio.BUSINESS_CAPABILITY
    assert legal.county_wide is True
    assert list(legal.districts.all()) == []
    assert legal.gross_budget == Decimal("9335200.00")
    assert legal.net_budget == Decimal("8224000.00")
    assert legal.delivery_model == DeliveryModel.IN_HOUSE_TRADING
    assert legal.market_review_tranche == 1
    assert legal.excluded_from_challenge is False
    assert legal.bid_window_opens == datetime.date(2026, 4, 1)
    assert legal.bid_window_closes == datetime.date(2027, 3, 31)
    assert legal.figures_illustrative is False
    assert legal.summary == "KCC's in-house legal practice."

    day = Service.objects.get(name="Day Centres")
    assert day.portfolio == Portfolio.ADULTS
    assert day.county_wide is False
    assert sorted(day.districts.values_list("name", flat=True)) == ["Dover", "Thanet"]
    assert day.gross_budget == Decimal("4100000.50")
    assert day.net_budget == Decimal("3600000.00")
    assert day.delivery_model == DeliveryModel.COMMISSIONED
    assert day.market_review_tranche is None
    assert day.excluded_from_challenge is False
    assert day.bid_window_opens is None
    assert day.bid_window_closes is None
    assert day.figures_illustrative is True


def test_import_says_one_service_in_the_singular(tmp_path):
    out, _ = run(write_csv(tmp_path, LEGAL))

    assert out == "Imported 1 service (1 created, 0 updated)\n"


def test_import_updates_existing_services_by_name_and_keeps_their_slug(tmp_path):
    ServiceFactory(name="Legal Services", slug="legal", net_budget=Decimal("1"))
    thanet = District.objects.get(name="Thanet")
    ServiceFactory(name="Day Centres", county_wide=True, districts=[thanet])

    out, _ = run(write_csv(tmp_path, LEGAL, DAY_CENTRES))

    assert out == "Imported 2 services (0 created, 2 updated)\n"
    legal = Service.objects.get(name="Legal Services")
    assert legal.slug == "legal"
    assert legal.net_budget == Decimal("8224000.00")
    day = Service.objects.get(name="Day Centres")
    assert day.county_wide is False
    assert sorted(day.districts.values_list("name", flat=True)) == ["Dover", "Thanet"]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    path = write_csv(tmp_path, LEGAL, DAY_CENTRES)
    run(path)
    # Every field but updated_at, which records that the second import saved them again.
    fields = [f.attname for f in Service._meta.concrete_fields if f.name != "updated_at"]
    first = list(Service.objects.order_by("name").values(*fields))

    out, _ = run(path)

    assert out == "Imported 2 services (0 created, 2 updated)\n"
    assert list(Service.objects.order_by("name").values(*fields)) == first
    assert Directorate.objects.count() == 2


def test_import_matches_directorates_ignoring_case_and_creates_new_ones(tmp_path):
    existing = DirectorateFactory(name="Families and Social Care")

    run(write_csv(tmp_path, LEGAL, {**DAY_CENTRES, "directorate": "FAMILIES AND SOCIAL CARE"}))

    assert Service.objects.get(name="Day Centres").directorate == existing
    assert Directorate.objects.filter(name="Business Strategy and Support").exists()


def test_import_reads_portfolio_and_delivery_model_by_value_or_label_in_any_case(tmp_path):
    run(
        write_csv(
            tmp_path,
            {
                **LEGAL,
                "portfolio": "PLACE-BASED",
                "delivery_model": "shared service with ANOTHER public body",
            },
            {**DAY_CENTRES, "portfolio": "0-25", "delivery_model": "Mixed"},
        )
    )

    legal = Service.objects.get(name="Legal Services")
    assert (legal.portfolio, legal.delivery_model) == (Portfolio.PLACE_BASED, DeliveryModel.SHARED)
    day = Service.objects.get(name="Day Centres")
    assert (day.portfolio, day.delivery_model) == (Portfolio.ZERO_25, DeliveryModel.MIXED)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("yes", True), ("YES", True), ("true", True), ("no", False), ("False", False), ("", False)],
)
def test_import_reads_yes_no_true_false_and_blank(tmp_path, word, expected):
    run(
        write_csv(
            tmp_path, {**LEGAL, "excluded_from_challenge": word, "figures_illustrative": word}
        )
    )

    legal = Service.objects.get(name="Legal Services")
    assert legal.excluded_from_challenge is expected
    assert legal.figures_illustrative is expected


def test_import_reads_district_names_ignoring_case_and_spaces(tmp_path):
    run(write_csv(tmp_path, {**LEGAL, "districts": " tunbridge wells ;FOLKESTONE AND HYTHE;"}))

    districts = Service.objects.get(name="Legal Services").districts.values_list("name", flat=True)
    assert sorted(districts) == ["Folkestone and Hythe", "Tunbridge Wells"]


def test_import_reads_a_file_with_only_the_required_columns_in_any_order(tmp_path):
    columns = ["net_budget", "name", "districts", "directorate", "portfolio", "gross_budget"]
    columns.append("delivery_model")

    out, _ = run(write_csv(tmp_path, LEGAL, columns=columns))

    assert out == "Imported 1 service (1 created, 0 updated)\n"
    legal = Service.objects.get(name="Legal Services")
    assert (legal.market_review_tranche, legal.bid_window_opens, legal.summary) == (None, None, "")


def test_import_reads_excel_csv_with_a_byte_order_mark_and_blank_rows(tmp_path):
    path = tmp_path / "excel.csv"
    rows = [
        ",".join(COLUMNS),
        ",,,,,,,,,,,,",
        "Archives,Growth,Place-based,Canterbury,10,5,In-house",
    ]
    path.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")

    out, _ = run(path)

    assert out == "Imported 1 service (1 created, 0 updated)\n"
    assert Service.objects.get(name="Archives").net_budget == Decimal("5.00")


def test_dry_run_checks_the_file_and_saves_nothing(tmp_path):
    ServiceFactory(name="Legal Services", net_budget=Decimal("1"))

    out, err = run(write_csv(tmp_path, LEGAL, DAY_CENTRES), "--dry-run")

    assert out == "Dry run: would import 2 services (1 created, 1 updated). Nothing was saved.\n"
    assert err == ""
    assert list(Service.objects.values_list("name", "net_budget")) == [
        ("Legal Services", Decimal("1.00"))
    ]
    assert not Directorate.objects.filter(name="Families and Social Care").exists()


def test_dry_run_reports_problems_like_a_real_run(tmp_path):
    path = write_csv(tmp_path, {**LEGAL, "net_budget": "lots"})

    with pytest.raises(CommandError):
        run(path, "--dry-run")


# --- Problems: one test per kind ---------------------------------------------------------------


def test_import_refuses_a_header_without_required_columns(tmp_path):
    columns = [c for c in COLUMNS if c not in {"gross_budget", "net_budget"}]

    assert errors_from(write_csv(tmp_path, LEGAL, columns=columns)) == [
        'Row 1: the header has no "gross_budget" column.',
        'Row 1: the header has no "net_budget" column.',
    ]


def test_import_refuses_an_unknown_column(tmp_path):
    path = write_csv(tmp_path, LEGAL, columns=[*COLUMNS, "Notes"])

    assert errors_from(path) == [
        'Row 1: "notes" is not a column this import reads. The columns are: name, directorate, '
        "portfolio, districts, gross_budget, net_budget, delivery_model, market_review_tranche, "
        "excluded_from_challenge, bid_window_opens, bid_window_closes, figures_illustrative, "
        "summary."
    ]


def test_import_refuses_a_column_given_twice(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(",".join([*COLUMNS, "Name"]) + "\n", encoding="utf-8")

    assert errors_from(path) == ['Row 1: the "name" column appears more than once.']


def test_import_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")

    assert errors_from(path) == [
        "The file is empty: row 1 must be the header (name, directorate, portfolio, districts, "
        "gross_budget, net_budget, delivery_model, market_review_tranche, "
        "excluded_from_challenge, bid_window_opens, bid_window_closes, figures_illustrative, "
        "summary)."
    ]


def test_import_refuses_a_header_with_no_services(tmp_path):
    assert errors_from(write_csv(tmp_path)) == [
        "The file has no services: there are no rows below the header."
    ]


def test_import_refuses_a_blank_required_value(tmp_path):
    assert errors_from(write_csv(tmp_path, LEGAL, {**DAY_CENTRES, "directorate": "  "})) == [
        'Row 3, column "directorate": a value is required.'
    ]


def test_import_refuses_an_unknown_district_and_lists_the_known_ones(tmp_path):
    path = write_csv(tmp_path, {**LEGAL, "districts": "Thanet; Margate"})

    assert errors_from(path) == [
        f'Row 2, column "districts": "Margate" is not a known district. '
        f"The districts known are: {KNOWN_DISTRICTS}."
    ]


def test_import_names_every_unknown_district_in_a_row(tmp_path):
    path = write_csv(tmp_path, {**LEGAL, "districts": "Margate;Thanet;Medway"})

    assert errors_from(path) == [
        f'Row 2, column "districts": "Margate", "Medway" are not known districts. '
        f"The districts known are: {KNOWN_DISTRICTS}."
    ]


def test_import_refuses_blank_districts(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "districts": ""})) == [
        'Row 2, column "districts": a value is required: district names separated by '
        'semicolons, or "County-wide".'
    ]


def test_import_refuses_county_wide_with_district_names(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "districts": "county-wide; Thanet"})) == [
        'Row 2, column "districts": "County-wide" cannot be combined with district names: '
        "a county-wide service serves every district."
    ]


def test_import_refuses_an_unknown_portfolio(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "portfolio": "Children"})) == [
        'Row 2, column "portfolio": "Children" is not a portfolio. Use one of: "0-25", '
        '"Adults", "Place-based", "Business capability".'
    ]


def test_import_refuses_an_unknown_delivery_model(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "delivery_model": "outsourced"})) == [
        'Row 2, column "delivery_model": "outsourced" is not a delivery model. Use one of: '
        '"In-house", "In-house, trading externally", "Commissioned from an external provider", '
        '"Shared service with another public body", "Mixed in-house and commissioned".'
    ]


@pytest.mark.parametrize("amount", ["12,x", "1,2345", "£", "12.", "twelve"])
def test_import_refuses_an_amount_that_is_not_money(tmp_path, amount):
    path = write_csv(tmp_path, LEGAL, LEGAL | {"name": "Other", "net_budget": amount})

    assert errors_from(path) == [
        f'Row 3, column "net_budget": "{amount}" is not an amount of money.'
    ]


def test_import_refuses_a_negative_budget(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "gross_budget": "-£5"})) == [
        'Row 2, column "gross_budget": "-£5" is negative: a budget is zero or more.'
    ]


def test_import_refuses_fractions_of_a_penny(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "net_budget": "100.125"})) == [
        'Row 2, column "net_budget": "100.125" has more than two decimal places.'
    ]


def test_import_refuses_a_budget_too_large_to_store(tmp_path):
    row = {**LEGAL, "gross_budget": "1000000000000", "net_budget": "1"}

    assert errors_from(write_csv(tmp_path, row)) == [
        'Row 2, column "gross_budget": "1000000000000" is too large: budgets are under '
        "£1,000,000,000,000."
    ]


def test_import_refuses_a_net_budget_more_than_the_gross(tmp_path):
    row = {**LEGAL, "gross_budget": "1000", "net_budget": "1,000.01"}

    assert errors_from(write_csv(tmp_path, row)) == [
        'Row 2, column "net_budget": the net budget (£1,000.01) is more than the gross budget '
        "(£1,000): the net budget is what is left after income."
    ]


@pytest.mark.parametrize("tranche", ["0", "-1", "1.5", "first", "40000"])
def test_import_refuses_a_tranche_that_is_not_a_positive_whole_number(tmp_path, tranche):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "market_review_tranche": tranche})) == [
        f'Row 2, column "market_review_tranche": "{tranche}" is not a tranche: leave it blank '
        "or give a whole number, 1 or more."
    ]


def test_import_refuses_a_yes_no_value_it_cannot_read(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "excluded_from_challenge": "maybe"})) == [
        'Row 2, column "excluded_from_challenge": "maybe" is not yes or no.'
    ]


@pytest.mark.parametrize("date", ["31/03/2027", "2027-02-30", "2027-3-31", "next week"])
def test_import_refuses_a_date_not_written_yyyy_mm_dd(tmp_path, date):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "bid_window_opens": date})) == [
        f'Row 2, column "bid_window_opens": "{date}" is not a date written YYYY-MM-DD, '
        "like 2027-03-31."
    ]


def test_import_refuses_a_bid_window_that_closes_before_it_opens(tmp_path):
    row = {**LEGAL, "bid_window_opens": "2027-03-31", "bid_window_closes": "2027-03-30"}

    assert errors_from(write_csv(tmp_path, row)) == [
        'Row 2, column "bid_window_closes": the bid window closes (2027-03-30) before it opens '
        "(2027-03-31)."
    ]


def test_import_refuses_a_service_named_twice_in_the_file(tmp_path):
    path = write_csv(tmp_path, LEGAL, DAY_CENTRES, {**LEGAL, "name": "legal services"})

    assert errors_from(path) == [
        'Row 4, column "name": "legal services" is already on row 2: each service may appear once.'
    ]


def test_import_refuses_two_names_that_would_share_a_web_address(tmp_path):
    path = write_csv(tmp_path, LEGAL, {**LEGAL, "name": "Legal services!"})

    assert errors_from(path) == [
        'Row 3, column "name": "Legal services!" would have the same web address '
        '("legal-services") as "Legal Services" on row 2.'
    ]


def test_import_refuses_a_new_name_that_would_take_an_existing_services_web_address(tmp_path):
    ServiceFactory(name="Legal Services")

    assert errors_from(write_csv(tmp_path, {**LEGAL, "name": "Legal  services"})) == [
        'Row 2, column "name": "Legal  services" would have the same web address '
        '("legal-services") as the existing service "Legal Services". Use that name to '
        "update it, or choose another."
    ]


def test_import_refuses_a_new_directorate_too_like_an_existing_one(tmp_path):
    DirectorateFactory(name="Growth, Environment and Transport")

    path = write_csv(tmp_path, {**LEGAL, "directorate": "Growth Environment and Transport"})

    assert errors_from(path) == [
        'Row 2, column "directorate": "Growth Environment and Transport" is too like the '
        'directorate "Growth, Environment and Transport": use that name, or one more different.'
    ]


def test_import_refuses_two_spellings_of_one_new_directorate(tmp_path):
    path = write_csv(
        tmp_path,
        {**LEGAL, "directorate": "Growth & Transport"},
        {**DAY_CENTRES, "directorate": "Growth Transport"},
    )

    assert errors_from(path) == [
        'Row 3, column "directorate": "Growth Transport" is too like the directorate '
        '"Growth & Transport": use that name, or one more different.'
    ]


def test_import_refuses_a_name_that_is_too_long(tmp_path):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "name": "x" * 201})) == [
        'Row 2, column "name": is 201 characters long; the most allowed is 200.'
    ]


def test_import_refuses_a_row_with_more_cells_than_the_header(tmp_path):
    path = tmp_path / "long-row.csv"
    path.write_text(
        ",".join(COLUMNS) + "\nArchives,Growth,Place-based,Canterbury,10,5,In-house,,,,,,,extra\n",
        encoding="utf-8",
    )

    assert errors_from(path) == ["Row 2: has 14 cells but the header has 13 columns."]


def test_import_reports_every_problem_in_row_order_and_imports_nothing(tmp_path):
    path = write_csv(
        tmp_path,
        LEGAL,
        {**DAY_CENTRES, "portfolio": "", "net_budget": "12,x"},
        {**LEGAL, "name": "Archives", "bid_window_closes": "soon"},
    )

    assert errors_from(path) == [
        'Row 3, column "portfolio": a value is required.',
        'Row 3, column "net_budget": "12,x" is not an amount of money.',
        'Row 4, column "bid_window_closes": "soon" is not a date written YYYY-MM-DD, '
        "like 2027-03-31.",
    ]


def test_import_counts_rows_as_a_spreadsheet_does_blank_rows_included(tmp_path):
    path = tmp_path / "gaps.csv"
    rows = [
        ",".join(COLUMNS),
        "Archives,Growth,Place-based,Canterbury,10,5,In-house",
        "",
        ",,,,",
        "Libraries,Growth,Place-based,Canterbury,10,50,In-house",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    assert errors_from(path) == [
        'Row 5, column "net_budget": the net budget (£50) is more than the gross budget (£10): '
        "the net budget is what is left after income."
    ]


def test_import_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (",".join(COLUMNS) + "\nArchives,Growth,Place-based,Canterbury,£10,5,In-house\n").encode(
            "latin-1"
        )
    )

    with pytest.raises(CommandError) as failure:
        run(path)

    assert (
        str(failure.value)
        == f"{path} is not UTF-8 text: save it from your spreadsheet as CSV UTF-8."
    )
    assert not Service.objects.exists()


def test_import_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as failure:
        run(tmp_path / "nowhere.csv")

    assert (
        str(failure.value) == f"Cannot open {tmp_path / 'nowhere.csv'}: No such file or directory."
    )


def test_the_example_in_the_documentation_imports(tmp_path, settings):
    doc = (settings.BASE_DIR / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n")[1].split("```")[0]
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")

    out, _ = run(path)

    assert out == "Imported 3 services (3 created, 0 updated)\n"
    assert Service.objects.get(name="Coroners' Service").excluded_from_challenge is True


def test_import_removes_control_characters_from_cells_and_says_how_many(tmp_path):
    row = {**LEGAL, "name": "Legal\x00 Services", "summary": "KCC's\x0b in-house\x01 practice."}

    out, err = run(write_csv(tmp_path, row))

    assert err == ""
    assert out.splitlines() == [
        "Imported 1 service (1 created, 0 updated)",
        "We removed 3 characters that cannot be stored (invisible control characters, often from "
        "text copied out of a PDF). Check that the text still reads as you meant.",
    ]
    assert Service.objects.get().summary == "KCC's in-house practice."
    assert Service.objects.get().name == "Legal Services"


@pytest.mark.parametrize("tranche", ["²", "\u0661\u0662", "9" * 5000])
def test_import_refuses_a_tranche_in_digits_other_than_0_to_9(tmp_path, tranche):
    assert errors_from(write_csv(tmp_path, {**LEGAL, "market_review_tranche": tranche})) == [
        f'Row 2, column "market_review_tranche": "{tranche}" is not a tranche: leave it blank '
        "or give a whole number, 1 or more."
    ]
