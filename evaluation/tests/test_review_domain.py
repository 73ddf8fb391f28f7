"""Screening, assignment and declarations, reviews, moderation and decisions: the functions in
evaluation/review/ that every admin page calls."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from accounts.models import Organisation
from accounts.roles import Role
from bids import workflow
from bids.models import BusinessCase, Event, Outcome, Status
from evaluation.models import Assignment, Decision, Ground, Route, Screening
from evaluation.review import assignments, decisions, moderation, reviews, screening

pytestmark = pytest.mark.django_db
ALL_MET = dict.fromkeys(Screening.CHECKS, True)


# --- Screening --------------------------------------------------------------------------------


def test_the_checklist_is_suggested_from_the_case(assessed_case):
    case = assessed_case()
    assert screening.suggested(case, Route.KENT) == {
        "body_eligible": True,
        "service_not_excluded": True,
        "window_was_open": True,
        "finances_present": False,  # the factory's organisation gave no turnover or reserves
        "outcomes_present": True,
        "wellbeing_present": True,
    }


def test_a_private_company_is_not_a_relevant_body_for_the_community_right_to_challenge(
    assessed_case,
):
    case = assessed_case()
    Organisation.objects.filter(pk=case.organisation_id).update(
        body_type=Organisation.BodyType.PRIVATE_COMPANY
    )
    case.refresh_from_db()
    assert screening.suggested(case, Route.CHALLENGE)["body_eligible"] is False
    assert screening.suggested(case, Route.KENT)["body_eligible"] is True


def test_passing_screening_moves_a_submitted_case_to_review_and_records_who(
    assessed_case, commissioning_officer
):
    case = assessed_case()
    result = screening.screen(
        case=case, by=commissioning_officer, route=Route.KENT, checks=ALL_MET, outcome="pass"
    )
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW
    assert (result.screened_by, result.route, result.all_checks_pass) == (
        commissioning_officer,
        Route.KENT,
        True,
    )
    assert list(
        case.events.filter(actor=commissioning_officer).values_list("kind", "to_status")
    ) == [
        (Event.Kind.MOVED, Status.SCREENING),
        (Event.Kind.SCREENED, ""),
        (Event.Kind.MOVED, Status.UNDER_REVIEW),
    ]


def test_a_case_passes_screening_only_when_every_check_is_met(assessed_case, commissioning_officer):
    case = assessed_case()
    with pytest.raises(screening.ScreeningError, match="every item of the checklist"):
        screening.screen(
            case=case,
            by=commissioning_officer,
            route=Route.KENT,
            checks={**ALL_MET, "finances_present": False},
            outcome="pass",
        )
    assert BusinessCase.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert not Screening.objects.exists()


def test_a_clarification_at_screening_emails_the_bidder_and_the_case_waits(
    assessed_case, commissioning_officer, mailoutbox, django_capture_on_commit_callbacks
):
    case = assessed_case()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        screening.screen(
            case=case,
            by=commissioning_officer,
            route=Route.KENT,
            checks={**ALL_MET, "finances_present": False},
            outcome="clarify",
            question="Please send your latest accounts.",
        )
    case.refresh_from_db()
    assert case.status == Status.SCREENING
    assert case.clarifications.get().question == "Please send your latest accounts."
    (mail,) = mailoutbox
    assert mail.to == [case.created_by.email]
    assert "Please send your latest accounts." in mail.body
    assert f"/bids/{case.public_id}/clarifications/" in mail.body


def test_rejecting_at_screening_decides_the_case_on_its_statutory_ground(
    assessed_case, commissioning_officer
):
    case = assessed_case()
    screening.screen(
        case=case,
        by=commissioning_officer,
        route=Route.KENT,
        checks={**ALL_MET, "service_not_excluded": False},
        outcome="reject",
        ground=Ground.PROCURING,
        reasons="The service is out to tender already.",
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.DECIDED, Outcome.REJECTED)
    assert case.decision.ground == Ground.PROCURING


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.MODERATOR, Role.MEMBER, Role.BIDDER])
def test_only_commissioning_officers_screen(assessed_case, role):
    case = assessed_case()
    with pytest.raises(workflow.WorkflowError, match="Only a commissioning officer can screen"):
        screening.screen(
            case=case, by=UserFactory(role=role), route=Route.KENT, checks=ALL_MET, outcome="pass"
        )


# --- Assignment and declarations ----------------------------------------------------------------


@pytest.fixture
def screened(assessed_case, commissioning_officer):
    case = assessed_case()
    screening.screen(
        case=case, by=commissioning_officer, route=Route.KENT, checks=ALL_MET, outcome="pass"
    )
    case.refresh_from_db()
    return case


def test_an_assigned_reviewer_is_emailed_a_link_to_declare(
    screened, commissioning_officer, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignments.assign(case=screened, reviewer=reviewer, by=commissioning_officer)
    (mail,) = mailoutbox
    assert mail.to == [reviewer.email]
    assert f"/admin/evaluation/assignment/{assignment.pk}/change/" in mail.body
    assert screened.organisation.name not in mail.body


def test_staff_of_the_service_under_challenge_cannot_review_it(
    screened, commissioning_officer, reviewer
):
    reviewer.works_in = screened.service
    reviewer.save()
    with pytest.raises(assignments.AssignmentError, match="works in"):
        assignments.assign(case=screened, reviewer=reviewer, by=commissioning_officer)


def test_only_reviewers_are_assigned_and_only_once(
    screened, commissioning_officer, reviewer, moderator
):
    with pytest.raises(assignments.AssignmentError, match="is not a reviewer"):
        assignments.assign(case=screened, reviewer=moderator, by=commissioning_officer)
    assignments.assign(case=screened, reviewer=reviewer, by=commissioning_officer)
    with pytest.raises(assignments.AssignmentError, match="already assigned"):
        assignments.assign(case=screened, reviewer=reviewer, by=commissioning_officer)


def test_a_reviewer_cannot_assign(screened, reviewer, reviewers):
    with pytest.raises(workflow.WorkflowError):
        assignments.assign(case=screened, reviewer=reviewers[0], by=reviewer)


def test_a_declared_interest_recuses_the_reviewer_and_tells_the_officer(
    screened, commissioning_officer, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    assignment = assignments.assign(case=screened, reviewer=reviewer, by=commissioning_officer)
    with django_capture_on_commit_callbacks(execute=True):
        assignments.declare(
            assignment=assignment, by=reviewer, has_interest=True, interest="My sister runs it."
        )
    assignment.refresh_from_db()
    assert assignment.recused and assignment.interest == "My sister runs it."
    (mail,) = mailoutbox
    assert mail.to == [commissioning_officer.email]
    assert "My sister runs it." in mail.body
    with pytest.raises(assignments.AssignmentError, match="already declared"):
        assignments.declare(assignment=assignment, by=reviewer, has_interest=False)


def test_only_the_assigned_reviewer_declares(screened, commissioning_officer, reviewers):
    assignment = assignments.assign(case=screened, reviewer=reviewers[0], by=commissioning_officer)
    with pytest.raises(assignments.AssignmentError):
        assignments.declare(assignment=assignment, by=reviewers[1], has_interest=False)
    assert not Assignment.objects.get(pk=assignment.pk).declared


# --- Reviews ------------------------------------------------------------------------------------


def all_scores(review, score=3) -> dict[int, tuple[int, str]]:
    return {c.pk: (score, f"Comment on {c.key}") for c in review.framework.criteria.all()}


def test_a_cleared_reviewer_saves_a_draft_then_submits_every_score(under_review, reviewers):
    assignment = under_review.assignments.get(reviewer=reviewers[0])
    review = reviews.review_for(assignment)
    criteria = list(review.framework.criteria.all())
    first = {criteria[0].pk: (4, "Strong")}
    reviews.save(review=review, by=reviewers[0], scores=first, submit=False)
    assert review.submitted_at is None
    with pytest.raises(reviews.ReviewError, match="Score every criterion"):
        reviews.save(review=review, by=reviewers[0], scores=first, submit=True)
    reviews.save(review=review, by=reviewers[0], scores=all_scores(review), submit=True)
    assert review.submitted_at is not None
    with pytest.raises(reviews.ReviewError, match="submitted"):
        reviews.save(review=review, by=reviewers[0], scores=all_scores(review, 5), submit=False)
    assert {s.score for s in review.scores.all()} == {3}


def test_the_machine_score_is_beside_the_reviewers_and_not_blended(under_review, reviewers):
    assignment = under_review.assignments.get(reviewer=reviewers[0])
    before = under_review.assessments.get()
    review = reviews.review_for(assignment)
    reviews.save(review=review, by=reviewers[0], scores=all_scores(review, 0), submit=True)
    machine = {s["key"]: s["score"] for s in before.scores}
    assert any(machine.values())  # so that a blend with the reviewer's zeros would show
    for line in reviews.lines(review):
        assert line.machine_score == machine[line.criterion.key]
        assert line.machine_rule
        assert line.score == 0
    after = under_review.assessments.get()
    assert (after.scores, after.total) == (before.scores, before.total)


def test_a_recused_or_unassigned_reviewer_cannot_review(screened, commissioning_officer, reviewers):
    assignment = assignments.assign(case=screened, reviewer=reviewers[0], by=commissioning_officer)
    review = reviews.review_for(assignment)
    with pytest.raises(reviews.ReviewError, match="Declare your interests"):
        reviews.save(review=review, by=reviewers[0], scores={}, submit=False)
    with pytest.raises(reviews.ReviewError, match="Only the reviewer assigned"):
        reviews.save(review=review, by=reviewers[1], scores={}, submit=False)


def test_scores_are_on_the_0_to_5_scale(under_review, reviewers):
    review = reviews.review_for(under_review.assignments.get(reviewer=reviewers[0]))
    criterion = review.framework.criteria.first()
    with pytest.raises(reviews.ReviewError, match="0 to 5"):
        reviews.save(review=review, by=reviewers[0], scores={criterion.pk: (6, "")}, submit=False)


# --- Moderation and decisions -------------------------------------------------------------------


@pytest.fixture
def in_moderation(under_review, reviewers, commissioning_officer):
    for n, reviewer in enumerate(reviewers):
        review = reviews.review_for(under_review.assignments.get(reviewer=reviewer))
        reviews.save(review=review, by=reviewer, scores=all_scores(review, 1 + 3 * n), submit=True)
    return workflow.move(case=under_review, to=Status.MODERATION, by=commissioning_officer)


def test_moderation_shows_every_score_and_flags_wide_spreads(in_moderation):
    rows = moderation.table(in_moderation)
    assert len(rows) == 11
    for row in rows:
        assert [score for _, score, _ in row.reviews] == [1, 4]
        assert row.spread == 3 and row.flagged
        assert row.machine_score is not None


def test_the_consensus_is_read_by_the_machines_rules(in_moderation, moderator):
    framework = reviews.framework_of(in_moderation)
    scores = {c.pk: (4, "Agreed at the panel") for c in framework.criteria.all()}
    consensus = moderation.record(case=in_moderation, by=moderator, scores=scores, final=True)
    assert consensus.total == Decimal("80.0")
    assert consensus.recommendation in {"BUY", "SELL", "MAKE"}
    assert Event.objects.filter(case=in_moderation, kind=Event.Kind.MODERATED).exists()


def test_a_final_consensus_needs_a_score_and_a_reason_for_every_criterion(in_moderation, moderator):
    framework = reviews.framework_of(in_moderation)
    scores = {c.pk: (4, "") for c in framework.criteria.all()}
    with pytest.raises(moderation.ModerationError, match="a reason for every criterion"):
        moderation.record(case=in_moderation, by=moderator, scores=scores, final=True)


def test_a_commissioning_officer_cannot_record_the_consensus(in_moderation, commissioning_officer):
    with pytest.raises(workflow.WorkflowError, match="moderator"):
        moderation.record(case=in_moderation, by=commissioning_officer, scores={}, final=False)


def test_deciding_and_publishing_sends_the_bidder_the_letter_without_scores(
    in_moderation, commissioning_officer, mailoutbox, django_capture_on_commit_callbacks
):
    decisions.decide(
        case=in_moderation,
        by=commissioning_officer,
        outcome=Outcome.ACCEPTED_WITH_MODIFICATION,
        modification="Start in Thanet only for the first year.",
        reasons="A strong, deliverable bid that saves money.",
    )
    in_moderation.refresh_from_db()
    assert (in_moderation.status, in_moderation.outcome) == (
        Status.DECIDED,
        Outcome.ACCEPTED_WITH_MODIFICATION,
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = decisions.publish(case=in_moderation, by=commissioning_officer)
    assert decision.published_at is not None
    (mail,) = mailoutbox
    assert "Accepted with a modification agreed with the bidder" in mail.body
    assert "Start in Thanet only for the first year." in mail.body
    total = str(in_moderation.assessments.get().total)
    assert total not in mail.body and "MAKE" not in mail.body and "BUY" not in mail.body


def test_a_rejection_names_its_ground(in_moderation, commissioning_officer):
    with pytest.raises(decisions.DecisionError, match="statutory ground"):
        decisions.decide(
            case=in_moderation,
            by=commissioning_officer,
            outcome=Outcome.REJECTED,
            reasons="Not suitable.",
        )
    assert not Decision.objects.exists()
