import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from accounts.factories import UserFactory
from bids import clarifications, workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Event, Status
from services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_starting_without_an_organisation_asks_for_one_first(client, bidder):
    service = ServiceFactory(name="Legal Services")
    client.force_login(bidder)
    start = reverse("bids:start", kwargs={"slug": service.slug})
    response = client.get(start)
    assert response["Location"] == f"{reverse('accounts:organisation')}?next={start}"


def test_starting_a_case_makes_a_draft_for_the_organisation(client):
    service = ServiceFactory(name="Legal Services")
    user = UserFactory()
    user.organisation = BusinessCaseFactory().organisation
    user.save()
    client.force_login(user)
    response = client.post(reverse("bids:start", kwargs={"slug": service.slug}))
    case = BusinessCase.objects.get(service=service)
    assert response["Location"] == case.get_absolute_url()
    assert (case.organisation, case.status, case.created_by) == (
        user.organisation,
        Status.DRAFT,
        user,
    )
    assert list(case.events.values_list("kind", flat=True)) == [Event.Kind.CREATED]


def test_a_closed_service_cannot_be_started_and_says_why(client):
    closed = timezone.localdate() - datetime.timedelta(days=2)
    service = ServiceFactory(
        name="Country Parks",
        bid_window_opens=closed - datetime.timedelta(days=10),
        bid_window_closes=closed,
    )
    case = BusinessCaseFactory()
    client.force_login(case.created_by)
    response = client.post(reverse("bids:start", kwargs={"slug": service.slug}), follow=True)
    assert f"Country Parks is not open for bids (bidding closed on {closed:%-d %B %Y})." in (
        response.content.decode()
    )
    assert not BusinessCase.objects.filter(service=service).exists()


def test_submitting_an_incomplete_case_says_what_is_missing_and_keeps_it(client):
    case = BusinessCaseFactory(complete=True)
    del case.answers["declarations"]
    case.save()
    client.force_login(case.created_by)
    response = client.post(
        reverse("bids:submit", kwargs={"public_id": case.public_id}), follow=True
    )
    html = response.content.decode()
    assert "Complete every section before you submit. Still to do: declarations." in html
    assert BusinessCase.objects.get(pk=case.pk).status == Status.DRAFT


def test_submitting_after_the_window_closed_says_so(client):
    case = BusinessCaseFactory(complete=True)
    closed = timezone.localdate() - datetime.timedelta(days=1)
    case.service.bid_window_closes = closed
    case.service.bid_window_opens = closed - datetime.timedelta(days=5)
    case.service.save()
    client.force_login(case.created_by)
    response = client.post(
        reverse("bids:submit", kwargs={"public_id": case.public_id}), follow=True
    )
    assert "is not open for bids (bidding closed on" in response.content.decode()
    assert "Your draft is saved." in response.content.decode()


def test_submitting_shows_the_reference_in_a_confirmation_panel(client, mailoutbox):
    case = BusinessCaseFactory(complete=True)
    client.force_login(case.created_by)
    response = client.post(
        reverse("bids:submit", kwargs={"public_id": case.public_id}), follow=True
    )
    case.refresh_from_db()
    html = response.content.decode()
    assert "govuk-panel--confirmation" in html
    assert case.reference in html
    second = client.post(reverse("bids:submit", kwargs={"public_id": case.public_id}))
    assert second["Location"] == reverse("bids:submitted", kwargs={"public_id": case.public_id})
    assert Event.objects.filter(case=case, kind=Event.Kind.SUBMITTED).count() == 1


def test_the_case_list_runs_the_same_queries_for_1_and_45_cases_20_a_page(
    client, django_assert_num_queries
):
    first = BusinessCaseFactory()
    user = first.created_by
    client.force_login(user)
    client.get(reverse("bids:list"))  # warm the session
    # Session, user, organisation, roles (navigation), the count and the page.
    with django_assert_num_queries(6):
        response = client.get(reverse("bids:list"))
    assert len(response.context["cases"]) == 1
    BusinessCaseFactory.create_batch(
        44, organisation=first.organisation, created_by=user, complete=True
    )
    for case in BusinessCase.objects.all()[:5]:
        workflow.submit(case=case, by=user)
    with django_assert_num_queries(6):
        response = client.get(reverse("bids:list") + "?page=3")
    assert len(response.context["cases"]) == 5
    html = response.content.decode()
    assert 'aria-label="Page 3" aria-current="page"' in html
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_the_case_list_shows_only_the_organisations_cases(client):
    mine = BusinessCaseFactory(title="Ours")
    BusinessCaseFactory(title="Theirs")
    client.force_login(mine.created_by)
    html = client.get(reverse("bids:list")).content.decode()
    assert "Ours" in html
    assert "Theirs" not in html


def test_the_bidder_answers_a_clarification_and_both_are_on_the_record(client):
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    officer = UserFactory(role="Reviewer")
    question = clarifications.ask(case=case, question="How many staff transfer?", by=officer)
    client.force_login(case.created_by)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "How many staff transfer?" in page
    url = reverse("bids:clarification", kwargs={"public_id": case.public_id, "pk": question.pk})
    empty = client.post(url, {"answer": ""})
    assert empty.context["form"].errors["answer"] == ["Enter your answer"]
    client.post(url, {"answer": "Twenty-four"})
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Twenty-four", case.created_by)
    client.post(url, {"answer": "Changed my mind"})
    question.refresh_from_db()
    assert question.answer == "Twenty-four"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-2:] == [Event.Kind.QUESTION_ASKED, Event.Kind.QUESTION_ANSWERED]


def test_the_bidder_withdraws_from_the_case_page(client):
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    client.force_login(case.created_by)
    client.post(
        reverse("bids:withdraw", kwargs={"public_id": case.public_id}), {"reason": "Too soon"}
    )
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Withdrawn" in page
    assert "Withdraw this business case" not in page


def test_a_submitted_case_shows_being_assessed_and_no_scores(client):
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    client.force_login(case.created_by)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Being assessed" in page


def test_a_clarification_answer_with_control_characters_is_stored_without_them(client):
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    question = clarifications.ask(
        case=case, question="How many staff transfer?", by=UserFactory(role="Reviewer")
    )
    client.force_login(case.created_by)
    url = reverse("bids:clarification", kwargs={"public_id": case.public_id, "pk": question.pk})
    response = client.post(url, {"answer": "Twenty\x00-four\x07"}, follow=True)
    assert response.status_code == 200
    question.refresh_from_db()
    assert question.answer == "Twenty-four"
    assert case.events.get(kind=Event.Kind.QUESTION_ANSWERED).note == "Twenty-four"
    assert "We removed 2 characters that cannot be stored" in response.content.decode()


def test_an_answer_of_nothing_but_control_characters_is_an_empty_answer(client):
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    question = clarifications.ask(case=case, question="Why?", by=UserFactory(role="Reviewer"))
    client.force_login(case.created_by)
    url = reverse("bids:clarification", kwargs={"public_id": case.public_id, "pk": question.pk})
    response = client.post(url, {"answer": "\x00\x00"})
    assert response.context["form"].errors["answer"] == ["Enter your answer"]


def test_a_withdraw_reason_with_a_nul_withdraws_and_keeps_the_rest_of_the_reason(client):
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    client.force_login(case.created_by)
    response = client.post(
        reverse("bids:withdraw", kwargs={"public_id": case.public_id}),
        {"reason": "Too\x00 soon"},
        follow=True,
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.events.get(kind=Event.Kind.WITHDRAWN).note == "Too soon"
    assert "We removed 1 character that cannot be stored" in response.content.decode()


def test_the_finance_summary_says_when_transition_costs_are_left_out(client):
    from bids.finance import summary
    from bids.sections import BY_KEY

    case = BusinessCaseFactory(complete=True)
    finance = BY_KEY["finance"]
    data = {**case.answers["finance"]["data"], "transition_costs": ["fifty thousand"]}
    form = finance.form_class(data=MultiValueDict(data))
    left_out = summary(case=case, form=form)
    assert left_out["transition_included"] is False
    assert left_out["price_total"] == 3 * 900_000
    html = render_to_string("bids/_finance_summary.html", {"summary": left_out})
    assert "Includes transition costs" not in html
    assert "Transition costs are not included" in html


def test_the_documents_page_has_one_upload_button(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    case = BusinessCaseFactory(complete=True)
    client.force_login(case.created_by)
    html = client.get(reverse("bids:documents", kwargs={"public_id": case.public_id})).content
    html = html.decode()
    assert "Choose a file" in html
    assert html.count(">Upload file<") == 1
    assert "Upload a file" not in html
