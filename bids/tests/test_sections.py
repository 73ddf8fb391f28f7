from decimal import Decimal

import pytest

from bids import sections
from bids.factories import BusinessCaseFactory, complete_answers

pytestmark = pytest.mark.django_db


def test_a_complete_case_has_every_section_completed():
    case = BusinessCaseFactory(complete=True)
    assert [s.state(case) for s in sections.SECTIONS] == ["completed"] * len(sections.SECTIONS)
    assert sections.incomplete(case) == []


def test_a_new_case_has_every_section_not_started():
    case = BusinessCaseFactory()
    assert {s.state(case) for s in sections.SECTIONS} == {"not_started"}


def test_a_section_with_invalid_answers_is_in_progress_and_keeps_them():
    case = BusinessCaseFactory(complete=True)
    case.answers["finance"]["data"]["working_capital"] = ["lots"]
    case.save()
    case.refresh_from_db()
    assert sections.BY_KEY["finance"].state(case) == "in_progress"
    form = sections.BY_KEY["finance"].form(case)
    assert form["working_capital"].value() == "lots"
    assert form.errors["working_capital"] == [
        "Working capital available must be an amount of money, like 25000 or £25,000.50"
    ]


def test_money_accepts_pounds_and_commas_as_people_type_them():
    case = BusinessCaseFactory(complete=True)
    data = sections.cleaned(case)["finance"]
    assert data["transition_costs"] == Decimal("50000")
    assert data["price_year_1"] == Decimal("900000")
    assert data["price_year_4"] is None


def test_every_year_of_the_term_needs_a_price_and_none_after_it():
    answers = complete_answers()
    answers["finance"]["data"]["price_year_3"] = [""]
    answers["finance"]["data"]["price_year_5"] = ["10"]
    case = BusinessCaseFactory(answers=answers)
    errors = dict(sections.section_errors(sections.BY_KEY["finance"].form(case)))
    assert errors == {
        "id_price_year_3": "Enter the price to KCC in year 3",
        "id_price_year_5": "Year 5 is after the end of a 3-year term: leave it empty or make "
        "the term longer",
    }


def test_part_of_a_service_needs_to_say_which_part():
    answers = complete_answers()
    answers["proposal"]["data"]["scope"] = ["part"]
    case = BusinessCaseFactory(answers=answers)
    errors = sections.section_errors(sections.BY_KEY["proposal"].form(case))
    assert errors == [("id_part_description", "Say which part of the service you propose to run")]


def test_partners_yes_needs_at_least_one_partner_with_their_finances():
    answers = complete_answers()
    answers["partners"]["data"]["has_items"] = ["yes"]
    case = BusinessCaseFactory(answers=answers)
    form = sections.BY_KEY["partners"].form(case)
    assert form.errors == [
        (
            "id_partners-0-name",
            "Add at least one consortium member or sub-contractor, or answer No",
        )
    ]
    answers["partners"]["data"].update(
        {
            "partners-0-name": ["Thanet Care Ltd"],
            "partners-0-role": ["subcontractor"],
            "partners-0-work": ["Night visits"],
            "partners-0-turnover": ["1,200,000"],
            "partners-0-reserves": ["80000"],
        }
    )
    case = BusinessCaseFactory(answers=answers)
    form = sections.BY_KEY["partners"].form(case)
    assert form.is_valid()
    assert form.cleaned_data["items"][0]["turnover"] == Decimal("1200000")


def test_a_risk_missing_its_mitigation_says_so():
    answers = complete_answers()
    answers["risks"]["data"]["risks-0-mitigation"] = [""]
    case = BusinessCaseFactory(answers=answers)
    assert sections.BY_KEY["risks"].form(case).errors == [
        ("id_risks-0-mitigation", "Say how you will manage the risk")
    ]


def test_check_your_answers_rows_show_choices_and_money_as_people_read_them():
    case = BusinessCaseFactory(complete=True)
    rows = dict(sections.display_rows(sections.BY_KEY["finance"].form(case)))
    assert rows["Transition costs"] == "£50,000"
    assert rows["Price to KCC in year 3"] == "£900,000"
    assert "Price to KCC in year 4" not in rows
    proposal = dict(sections.display_rows(sections.BY_KEY["proposal"].form(case)))
    assert proposal["Delivery model"] == "Public-service co-operative"


# --- Upper bounds on counts -----------------------------------------------------------------------

COUNTS = [
    ("delivery", "staff_transferring", 20_000, "Number of staff transferring to you (TUPE)"),
    ("social_value", "local_jobs", 100_000, "Jobs for Kent residents"),
    ("social_value", "apprenticeships", 10_000, "Apprenticeships"),
    ("social_value", "volunteering_hours", 10_000_000, "Volunteering hours each year"),
    ("social_value", "kent_spend_percent", 100, "Share of spend with Kent small businesses and "
     "voluntary groups, in per cent"),
    ("finance", "contract_term_years", 10, "Contract term in years"),
]  # fmt: skip


def errors_with(key: str, field: str, value: str) -> dict[str, str]:
    answers = complete_answers()
    answers[key]["data"][field] = [value]
    case = BusinessCaseFactory(answers=answers)
    return dict(sections.section_errors(sections.BY_KEY[key].form(case)))


@pytest.mark.parametrize(("key", "field", "maximum", "label"), COUNTS)
def test_every_count_accepts_its_maximum(key, field, maximum, label):
    errors = errors_with(key, field, str(maximum))
    if field == "contract_term_years":  # a longer term needs a price for each year
        assert f"id_{field}" not in errors
    else:
        assert errors == {}


@pytest.mark.parametrize(("key", "field", "maximum", "label"), COUNTS)
@pytest.mark.parametrize("over", [1, 99999999999999999999])
def test_every_count_refuses_more_than_its_maximum_saying_so(key, field, maximum, label, over):
    errors = errors_with(key, field, str(maximum + over))
    assert errors[f"id_{field}"] == f"{label} must be {maximum:,} or less"


def test_the_staff_maximum_is_written_as_people_read_numbers():
    errors = errors_with("delivery", "staff_transferring", "99999999999999999999")
    assert errors == {
        "id_staff_transferring": "Number of staff transferring to you (TUPE) must be 20,000 or less"
    }


@pytest.mark.parametrize("key", ["risks", "partners"])
def test_a_repeating_section_refuses_more_items_than_the_most_allowed(key):
    answers = complete_answers()
    prefix = key
    answers[key]["data"][f"{prefix}-TOTAL_FORMS"] = ["5000"]
    case = BusinessCaseFactory(answers=answers)
    form = sections.BY_KEY[key].form(case)
    assert len(form.formset.forms) <= 50
    if key == "partners":  # answered "no": the items are not looked at
        assert sections.BY_KEY[key].state(case) == "completed"
        return
    assert sections.section_errors(form) == [
        ("id_risks-0-description", "You can add at most 50 risks")
    ]


def test_a_repeating_section_without_its_count_of_items_is_not_complete():
    answers = complete_answers()
    del answers["risks"]["data"]["risks-TOTAL_FORMS"]
    case = BusinessCaseFactory(answers=answers)
    assert sections.BY_KEY["risks"].state(case) == "in_progress"
    assert sections.section_errors(sections.BY_KEY["risks"].form(case)) == [
        (
            "id_risks-0-description",
            "The number of risks is missing: go back to the task list and open this section again",
        )
    ]


def test_save_and_come_back_later_leaves_a_complete_section_in_progress(client):
    from bids.factories import BusinessCaseFactory
    from bids.sections import BY_KEY

    case = BusinessCaseFactory(complete=True)
    case.answers["risks"]["checked"] = False  # saved with "come back later", or by autosave
    case.save()
    assert BY_KEY["risks"].state(case) == "in_progress"
    assert BY_KEY["outcomes"].state(case) == "completed"
    client.force_login(case.created_by)
    page = client.get(case.get_absolute_url()).content.decode()
    assert page.count("Completed") == 7
