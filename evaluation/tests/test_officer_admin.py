"""Every officers' admin page and action against every role, and the pages themselves."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from bids import workflow
from bids.models import Event, Status
from evaluation.models import Assignment
from evaluation.review import assignments, reviews

pytestmark = pytest.mark.django_db

# Who may open each page of a case, by the case's status (the page is offered in these only).
STEP_ROLES = {
    "screen": {"commissioning", "admin"},
    "assign": {"commissioning", "admin"},
    "moderate": {"moderator", "admin"},
    "decide": {"commissioning", "admin"},
    "publish": {"commissioning", "admin"},
}
STEP_STATUS = {
    "screen": Status.SUBMITTED,
    "assign": Status.UNDER_REVIEW,
    "moderate": Status.MODERATION,
    "decide": Status.MODERATION,
    "publish": Status.DECIDED,
}
PEOPLE = [
    "reviewer_cleared",
    "reviewer_unassigned",
    "reviewer_recused",
    "reviewer_undeclared",
    "commissioning",
    "moderator",
    "admin",
    "member",
    "bidder",
    "anonymous",
]


def person(kind, case, commissioning_officer):
    """A user of the kind, set up against `case`."""
    if kind == "anonymous":
        return None
    if kind.startswith("reviewer"):
        reviewer = UserFactory(role=Role.REVIEWER)
        if kind != "reviewer_unassigned":
            Assignment.objects.create(
                case=case,
                reviewer=reviewer,
                assigned_by=commissioning_officer,
                has_interest={"reviewer_cleared": False, "reviewer_recused": True}.get(kind),
            )
        return reviewer
    if kind == "bidder":
        return UserFactory(role=Role.BIDDER, organisation=case.organisation)
    return UserFactory(
        role={
            "commissioning": Role.COMMISSIONING_OFFICER,
            "moderator": Role.MODERATOR,
            "admin": Role.ADMIN,
            "member": Role.MEMBER,
        }[kind]
    )


def at_status(case, status):
    from bids.models import BusinessCase

    BusinessCase.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("kind", PEOPLE)
def test_every_case_page_answers_each_role_as_the_tables_say(
    client, kind, assessed_case, commissioning_officer
):
    case = assessed_case()
    user = person(kind, case, commissioning_officer)
    if user:
        client.force_login(user)
    reads = kind in {"reviewer_cleared", "commissioning", "moderator", "admin"}
    change = reverse("admin:bids_businesscase_change", args=[case.pk])
    response = client.get(change)
    if user is None or kind in {"member", "bidder"}:
        assert response.status_code == 302 and "/admin/login/" in response.url
    elif reads:
        assert response.status_code == 200
    else:  # reviewers not cleared for the case: as if it did not exist
        assert response.status_code == 302 and response.url == reverse("admin:index")

    for step, status in STEP_STATUS.items():
        at_status(case, status)
        url = reverse(f"admin:bids_businesscase_{step}", args=[case.pk])
        got = client.get(url).status_code
        if user is None or kind in {"member", "bidder"}:
            assert got == 302, (kind, step)
        elif not reads:
            assert got == 404, (kind, step)
        elif kind in STEP_ROLES[step]:
            assert got == 200, (kind, step)
        else:
            assert got == 403, (kind, step)


@pytest.mark.parametrize("kind", PEOPLE)
def test_the_assignment_page_is_the_reviewers_own(
    client, kind, assessed_case, commissioning_officer
):
    case = at_status(assessed_case(), Status.UNDER_REVIEW)
    owner = person("reviewer_undeclared", case, commissioning_officer)
    assignment = Assignment.objects.get(reviewer=owner)
    user = person(kind, case, commissioning_officer)
    if user:
        client.force_login(user)
    url = reverse("admin:evaluation_assignment_change", args=[assignment.pk])
    response = client.get(url)
    if user is None or kind in {"member", "bidder"}:
        assert response.status_code == 302 and "/admin/login/" in response.url
    elif kind in {"commissioning", "moderator", "admin"}:
        # The conflicts register: read-only, never the declaration or review form.
        assert response.status_code == 200
        assert "Do you have an interest to declare" not in response.content.decode()
    else:
        # Another reviewer's assignment is not in their list at all.
        assert response.status_code == 302
    client.force_login(owner)
    assert "Do you have an interest to declare" in client.get(url).content.decode()


def test_before_declaring_a_reviewer_sees_only_the_reference_and_the_service(
    client, assessed_case, commissioning_officer, reviewer
):
    case = at_status(assessed_case(), Status.UNDER_REVIEW)
    assignment = assignments.assign(case=case, reviewer=reviewer, by=commissioning_officer)
    client.force_login(reviewer)
    html = client.get(
        reverse("admin:evaluation_assignment_change", args=[assignment.pk])
    ).content.decode()
    assert case.reference in html and case.service.name in html
    assert case.organisation.name not in html
    assert "co-operative running the service" not in html  # the proposal's summary
    assert "Machine" not in html


def test_declaring_no_interest_opens_the_case_and_the_review_with_the_machines_scores(
    client, assessed_case, commissioning_officer, reviewer
):
    case = at_status(assessed_case(), Status.UNDER_REVIEW)
    assignment = assignments.assign(case=case, reviewer=reviewer, by=commissioning_officer)
    client.force_login(reviewer)
    url = reverse("admin:evaluation_assignment_change", args=[assignment.pk])
    response = client.post(url, {"has_interest": "no"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "co-operative running the service" in html
    assert "Machine's score:" in html
    # Blind by default: no organisation, no people's names.
    assert case.organisation.name not in html
    assert case.created_by.full_name not in html
    case_page = client.get(reverse("admin:bids_businesscase_change", args=[case.pk]))
    assert case_page.status_code == 200
    assert case.organisation.name not in case_page.content.decode()
    assert Event.objects.filter(case=case, kind=Event.Kind.VIEWED, actor=reviewer).count() == 1


def test_a_reviewer_submits_scores_through_the_page(client, under_review, reviewers):
    reviewer = reviewers[0]
    assignment = under_review.assignments.get(reviewer=reviewer)
    review = reviews.review_for(assignment)
    data = {}
    for criterion in review.framework.criteria.all():
        data[f"score_{criterion.pk}"] = "3"
        data[f"text_{criterion.pk}"] = "Reasonable."
    client.force_login(reviewer)
    url = reverse("admin:evaluation_assignment_change", args=[assignment.pk])
    response = client.post(url, {**data, "submit": "Submit the review"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted_at is not None
    assert "You submitted this review" in client.get(url).content.decode()


def test_a_submission_missing_a_score_keeps_what_was_typed_and_says_what_is_missing(
    client, under_review, reviewers
):
    reviewer = reviewers[0]
    assignment = under_review.assignments.get(reviewer=reviewer)
    review = reviews.review_for(assignment)
    first = review.framework.criteria.first()
    client.force_login(reviewer)
    url = reverse("admin:evaluation_assignment_change", args=[assignment.pk])
    response = client.post(
        url, {f"score_{first.pk}": "4", f"text_{first.pk}": "Kept", "submit": "Submit"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Score every criterion before you submit" in html
    assert "Kept" in html


def test_the_whole_officer_journey_through_the_admin(
    client,
    assessed_case,
    commissioning_officer,
    moderator,
    reviewers,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    case = assessed_case()
    client.force_login(commissioning_officer)
    screen = reverse("admin:bids_businesscase_screen", args=[case.pk])
    checks = {
        name: "on"
        for name in (
            "body_eligible",
            "service_not_excluded",
            "window_was_open",
            "finances_present",
            "outcomes_present",
            "wellbeing_present",
        )
    }
    assert client.post(screen, {"route": "kent", "outcome": "pass", **checks}).status_code == 302
    assign = reverse("admin:bids_businesscase_assign", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(assign, {"reviewers": [r.pk for r in reviewers], "blind": "on"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in reviewers)

    for n, reviewer in enumerate(reviewers):
        client.force_login(reviewer)
        assignment = Assignment.objects.get(case=case, reviewer=reviewer)
        url = reverse("admin:evaluation_assignment_change", args=[assignment.pk])
        client.post(url, {"has_interest": "no"})
        review = reviews.review_for(assignment)
        scores = {}
        for criterion in review.framework.criteria.all():
            scores[f"score_{criterion.pk}"] = str(2 + n * 2)
            scores[f"text_{criterion.pk}"] = "Seen."
        assert client.post(url, {**scores, "submit": "Submit"}).status_code == 302

    client.force_login(commissioning_officer)
    client.post(
        reverse("admin:bids_businesscase_changelist"),
        {"action": "move_to_moderation", "_selected_action": [case.pk]},
    )
    case.refresh_from_db()
    assert case.status == Status.MODERATION

    client.force_login(moderator)
    moderate = reverse("admin:bids_businesscase_moderate", args=[case.pk])
    page = client.get(moderate).content.decode()
    assert "2: wide" in page
    framework = reviews.framework_of(case)
    consensus = {}
    for criterion in framework.criteria.all():
        consensus[f"score_{criterion.pk}"] = "3"
        consensus[f"text_{criterion.pk}"] = "Between the two."
    response = client.post(moderate, {**consensus, "record": "Record"})
    assert response.status_code == 302, response.content.decode()[:3000]

    client.force_login(commissioning_officer)
    decide = reverse("admin:bids_businesscase_decide", args=[case.pk])
    response = client.post(
        decide, {"outcome": "accepted", "reasons": "Saves money and keeps jobs in Kent."}
    )
    assert response.status_code == 302
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:bids_businesscase_publish", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert len(mailoutbox) == 1

    client.force_login(case.created_by)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Decision letter" in page
    assert "Saves money and keeps jobs in Kent." in page
    assert str(case.assessments.get().total) not in page
    assert commissioning_officer.full_name not in page  # officers appear as the council


def test_the_conflicts_register_downloads_as_csv(client, under_review, commissioning_officer):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("admin:evaluation_assignment_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Assignment.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("case,service,reviewer")
    assert len(lines) == 3
    assert all(",none," in line for line in lines[1:])


def queries_for(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_changelists_run_the_same_queries_with_1_and_50_cases(
    client, assessed_case, commissioning_officer, reviewers
):
    def another():
        case = assessed_case()
        Assignment.objects.create(
            case=case, reviewer=reviewers[0], assigned_by=commissioning_officer, has_interest=False
        )

    urls = [
        reverse("admin:bids_businesscase_changelist"),
        reverse("admin:evaluation_assignment_changelist"),
    ]
    another()
    client.force_login(commissioning_officer)
    client.get(urls[0])  # the first request after signing in renews the session
    with_one = [queries_for(client, url) for url in urls]
    for _ in range(49):
        another()
    assert [queries_for(client, url) for url in urls] == with_one


def test_moderators_move_reviewed_cases_to_moderation(under_review, moderator):
    workflow.move(case=under_review, to=Status.MODERATION, by=moderator)
    assert under_review.status == Status.MODERATION


def test_the_case_page_runs_the_same_queries_with_1_and_20_of_each_inline(
    client, assessed_case, commissioning_officer, tmp_path, settings
):
    from django.core.files.base import ContentFile

    from bids import clarifications
    from bids.models import Document
    from bids.tests.files import pdf_bytes
    from evaluation.models import DecisionPack

    settings.MEDIA_ROOT = tmp_path
    case = assessed_case()
    url = reverse("admin:bids_businesscase_change", args=[case.pk])

    def add_one_of_each():
        bidder = UserFactory(organisation=case.organisation)
        document = Document(
            case=case, name="a.pdf", kind="pdf", size=1, sha256="0" * 64, uploaded_by=bidder
        )
        document.file.save("a", ContentFile(pdf_bytes()), save=False)
        document.save()
        asker = UserFactory(role=Role.COMMISSIONING_OFFICER)
        clarifications.ask(case=case, question="Why?", by=asker)  # also an event by another
        Event.objects.create(case=case, kind=Event.Kind.MOVED, actor=UserFactory())
        DecisionPack.objects.create(
            case=case, version=case.packs.count() + 1, requested_by=UserFactory()
        )

    add_one_of_each()
    client.force_login(commissioning_officer)
    client.get(url)  # the session's renewal and the day's "viewed" event happen once
    with_one = queries_for(client, url)
    for _ in range(19):
        add_one_of_each()
    assert queries_for(client, url) == with_one


def test_a_reviewers_list_names_no_bidder(client, under_review, reviewers):
    client.force_login(reviewers[0])
    response = client.get(reverse("admin:bids_businesscase_changelist"))
    html = response.content.decode()
    assert under_review.reference in html
    assert under_review.organisation.name not in html
    assert "column-organisation_name" not in html


def test_a_reviewer_may_not_export_and_asks_questions_only_about_their_own_cases(
    client, under_review, reviewers, assessed_case, commissioning_officer
):
    other = at_status(assessed_case(), Status.UNDER_REVIEW)
    Assignment.objects.create(
        case=other, reviewer=UserFactory(role=Role.REVIEWER), assigned_by=commissioning_officer
    )
    client.force_login(reviewers[0])
    # The conflicts register names every reviewer's declarations: officers who read every case
    # download it (evaluation/tests/test_exports.py), a reviewer is not offered it.
    response = client.post(
        reverse("admin:evaluation_assignment_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Assignment.objects.values_list("pk", flat=True)),
        },
    )
    assert not response.streaming and "Content-Disposition" not in response
    # Asking a question: only about their own case.
    assert client.get(reverse("admin:bids_clarification_add")).status_code == 200
    response = client.post(
        reverse("admin:bids_clarification_add"), {"case": other.pk, "question": "Why?"}
    )
    assert response.status_code == 200  # refused: not a case they may choose
    assert not other.clarifications.exists()


def test_the_status_filter_offers_no_draft_and_filters(
    client, assessed_case, commissioning_officer
):
    screening = at_status(assessed_case(), Status.SCREENING)
    submitted = assessed_case()
    client.force_login(commissioning_officer)
    url = reverse("admin:bids_businesscase_changelist")
    html = client.get(url).content.decode()
    assert "?status__exact=screening" in html
    assert "?status__exact=draft" not in html
    filtered = client.get(url, {"status__exact": "screening"}).content.decode()
    assert screening.reference in filtered and submitted.reference not in filtered
