"""Drafts never lose work: failed validation, autosave, coming back, a session timeout."""

import re

import pytest
from django.urls import reverse

from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return BusinessCaseFactory()


def section_url(case, key):
    return reverse("bids:section", kwargs={"public_id": case.public_id, "key": key})


def test_a_failed_validation_keeps_everything_typed_and_says_what_to_fix(client, case):
    client.force_login(case.created_by)
    typed = {"contract_term_years": "3", "price_year_1": "£1,000", "working_capital": "lots"}
    response = client.post(section_url(case, "finance"), {**typed, "action": "continue"})
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    assert errors["id_price_year_2"] == "Enter the price to KCC in year 2"
    assert errors["id_price_year_3"] == "Enter the price to KCC in year 3"
    html = response.content.decode()
    assert 'value="£1,000"' in html
    assert 'value="lots"' in html
    assert "There is a problem" in html
    assert response.context["form"].errors["working_capital"] == [
        "Working capital available must be an amount of money, like 25000 or £25,000.50"
    ]
    stored = BusinessCase.objects.get(pk=case.pk).answers["finance"]
    assert stored == {
        "data": {k: [v] for k, v in typed.items()},
        "checked": True,
    }


def test_leaving_and_coming_back_restores_the_answers_with_their_errors(client, case):
    client.force_login(case.created_by)
    client.post(section_url(case, "proposal"), {"scope": "part", "action": "continue"})
    response = client.get(section_url(case, "proposal"))
    html = response.content.decode()
    assert re.search(r'value="part"\s+checked', html)
    assert "Say which part of the service you propose to run" in html


def test_save_and_come_back_later_keeps_an_incomplete_section_without_complaint(client, case):
    client.force_login(case.created_by)
    response = client.post(
        section_url(case, "proposal"), {"summary": "Half a thought", "action": "later"}
    )
    assert response.status_code == 302
    page = client.get(section_url(case, "proposal"))
    assert "Half a thought" in page.content.decode()
    assert page.context["errors"] == []
    task_list = client.get(case.get_absolute_url()).content.decode()
    assert "In progress" in task_list


def test_a_valid_section_saves_and_returns_to_the_task_list(client, case):
    client.force_login(case.created_by)
    response = client.post(
        section_url(case, "social_value"),
        {
            "local_jobs": "30",
            "apprenticeships": "4",
            "volunteering_hours": "2000",
            "kent_spend_percent": "60",
            "action": "continue",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert BusinessCase.objects.get(pk=case.pk).answers["social_value"]["checked"] is True


def test_autosave_keeps_what_is_typed_without_validating_it(client, case):
    client.force_login(case.created_by)
    url = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": "finance"})
    response = client.post(url, {"contract_term_years": "2", "price_year_1": "5000"})
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert "£5,000" in response.json()["summary_html"]
    stored = BusinessCase.objects.get(pk=case.pk).answers["finance"]
    assert stored == {
        "data": {"contract_term_years": ["2"], "price_year_1": ["5000"]},
        "checked": False,
    }
    page = client.get(section_url(case, "finance"))
    assert page.context["errors"] == []  # autosaved drafts are not scolded
    assert 'value="5000"' in page.content.decode()


def test_answers_posted_after_the_session_expired_are_put_back_after_signing_in(client, case):
    client.force_login(case.created_by)
    client.logout()  # the session times out while the bidder is typing
    url = section_url(case, "outcomes")
    response = client.post(url, {"service_users": "Everything I typed", "action": "continue"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={url}"
    assert "outcomes" not in BusinessCase.objects.get(pk=case.pk).answers

    client.force_login(case.created_by)  # keeps the anonymous session's data, as login() does
    page = client.get(url)
    assert "Everything I typed" in page.content.decode()
    assert "We have kept what you typed" in page.content.decode()
    stored = BusinessCase.objects.get(pk=case.pk).answers["outcomes"]["data"]
    assert stored["service_users"] == ["Everything I typed"]


def test_adding_another_risk_keeps_the_first(client, case):
    client.force_login(case.created_by)
    response = client.post(
        section_url(case, "risks"),
        {
            "risks-TOTAL_FORMS": "1",
            "risks-INITIAL_FORMS": "0",
            "risks-0-description": "Staff leave",
            "action": "add",
        },
    )
    assert response.status_code == 302
    page = client.get(section_url(case, "risks"))
    html = page.content.decode()
    assert "Staff leave" in html
    assert "Risk 2" in html
    assert 'name="risks-1-description"' in html


def test_the_finance_page_compares_the_bid_with_the_net_budget(client, case):
    case.service.net_budget = 1_000_000
    case.service.save()
    client.force_login(case.created_by)
    client.post(
        section_url(case, "finance"),
        {
            "contract_term_years": "2",
            "price_year_1": "900000",
            "price_year_2": "900000",
            "transition_costs": "50000",
            "action": "later",
        },
    )
    summary = client.get(section_url(case, "finance")).context["summary"]
    assert summary["price_total"] == 1_850_000
    assert summary["in_house_total"] == 2_000_000
    assert summary["difference"] == 150_000
    assert str(summary["percent"]) == "7.5"


def test_two_tabs_saving_different_sections_keep_both(case):
    from bids import sections

    other_tab = BusinessCase.objects.get(pk=case.pk)  # loaded before the first tab saved
    sections.save_draft(case=case, key="proposal", data={"summary": ["A"]}, checked=False)
    sections.save_draft(
        case=other_tab, key="risks", data={"risks-0-description": ["B"]}, checked=False
    )
    answers = BusinessCase.objects.get(pk=case.pk).answers
    assert answers["proposal"]["data"] == {"summary": ["A"]}
    assert answers["risks"]["data"] == {"risks-0-description": ["B"]}


def test_nothing_is_saved_into_a_case_submitted_in_another_tab(client):
    from bids import sections, workflow

    case = BusinessCaseFactory(complete=True)
    stale = BusinessCase.objects.get(pk=case.pk)
    workflow.submit(case=case, by=case.created_by)
    with pytest.raises(sections.NotADraft):
        sections.save_draft(
            case=stale, key="finance", data={"working_capital": ["1"]}, checked=True
        )
    answers = BusinessCase.objects.get(pk=case.pk).answers
    assert answers["finance"]["data"]["working_capital"] == ["250000"]


# --- Control characters (PostgreSQL's jsonb refuses NUL) ---------------------------------------

PASTED = "Shorter\x00 waits\x01 for\x0b families\x1f\x7f.\r\nSecond line."


def test_a_section_save_with_nul_and_other_controls_keeps_everything_else_and_says_so(client, case):
    client.force_login(case.created_by)
    response = client.post(
        section_url(case, "outcomes"),
        {
            "service_users": PASTED,
            "customer\x00": "One point of contact",  # a control character in a field's name
            "clout": "Local firms\x02",
            "action": "later",
        },
        follow=True,
    )
    assert response.status_code == 200
    stored = BusinessCase.objects.get(pk=case.pk).answers["outcomes"]["data"]
    assert stored == {
        "service_users": ["Shorter waits for families.\r\nSecond line."],
        "customer": ["One point of contact"],
        "clout": ["Local firms"],
    }
    html = response.content.decode()
    assert "Outcomes: your answers are saved as a draft" in html
    assert (
        "Outcomes: We removed 7 characters that cannot be stored (invisible control characters, "
        "often from text copied out of a PDF)"
    ) in html


def test_a_failed_validation_with_a_nul_shows_the_errors_and_the_notice_on_the_section_page(
    client, case
):
    client.force_login(case.created_by)
    response = client.post(
        section_url(case, "delivery"),
        {"readiness": "Ready\x00", "staff_transferring": "12\x00", "action": "continue"},
    )
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    assert errors["id_kpis"] == "Enter key performance indicators"
    assert "id_staff_transferring" not in errors  # "12" once the NUL is gone
    html = response.content.decode()
    assert "We removed 2 characters that cannot be stored" in html
    stored = BusinessCase.objects.get(pk=case.pk).answers["delivery"]["data"]
    assert stored == {"readiness": ["Ready"], "staff_transferring": ["12"]}


def test_a_clean_save_says_nothing_about_removed_characters(client, case):
    client.force_login(case.created_by)
    response = client.post(
        section_url(case, "proposal"), {"summary": "Plain\r\ntext", "action": "later"}, follow=True
    )
    assert "We removed" not in response.content.decode()
    stored = BusinessCase.objects.get(pk=case.pk).answers["proposal"]["data"]
    assert stored == {"summary": ["Plain\r\ntext"]}


def test_autosave_with_nul_and_other_controls_keeps_everything_else_and_says_so(client, case):
    client.force_login(case.created_by)
    url = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": "finance"})
    response = client.post(
        url, {"contract_term_years": "2\x00", "price_year_1": "5000\x1b", "price\x00_year_2": "1"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True
    assert body["removed"] == 3
    assert body["message"].startswith("We removed 3 characters that cannot be stored")
    stored = BusinessCase.objects.get(pk=case.pk).answers["finance"]["data"]
    assert stored == {
        "contract_term_years": ["2"],
        "price_year_1": ["5000"],
        "price_year_2": ["1"],
    }


def test_autosave_of_clean_text_reports_nothing_removed(client, case):
    client.force_login(case.created_by)
    url = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": "outcomes"})
    body = client.post(url, {"service_users": "Fine"}).json()
    assert body["removed"] == 0
    assert "message" not in body


def test_answers_kept_over_a_session_timeout_lose_their_nul_when_put_back(client, case):
    client.force_login(case.created_by)
    client.logout()
    url = section_url(case, "outcomes")
    client.post(url, {"service_users": "Typed\x00 before the timeout", "action": "continue"})
    client.force_login(case.created_by)
    page = client.get(url).content.decode()
    assert "We removed 1 character that cannot be stored" in page
    stored = BusinessCase.objects.get(pk=case.pk).answers["outcomes"]["data"]
    assert stored["service_users"] == ["Typed before the timeout"]


def test_add_another_on_a_section_without_repeated_items_saves_as_a_draft(client, case):
    client.force_login(case.created_by)
    response = client.post(section_url(case, "proposal"), {"summary": "Idea", "action": "add"})
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    stored = BusinessCase.objects.get(pk=case.pk).answers["proposal"]
    assert stored == {"data": {"summary": ["Idea"]}, "checked": False}


def test_add_another_stops_at_the_most_items_a_section_takes(client, case):
    client.force_login(case.created_by)
    client.post(
        section_url(case, "risks"),
        {"risks-TOTAL_FORMS": "50", "risks-INITIAL_FORMS": "0", "action": "add"},
    )
    stored = BusinessCase.objects.get(pk=case.pk).answers["risks"]["data"]
    assert stored["risks-TOTAL_FORMS"] == ["50"]
