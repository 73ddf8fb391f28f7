"""A reviewer's scores: one 0-5 score and a comment for each criterion of the framework the case
was assessed against, with the machine's score beside each for reference and never blended in."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bids import workflow
from bids.models import Event
from evaluation.models import Assessment, Assignment, Criterion, Review, ReviewScore


class ReviewError(Exception):
    """Why the review cannot be saved or submitted, for the reviewer."""


@dataclass(frozen=True)
class Line:
    """One criterion of a review, with the machine's score for reference."""

    criterion: Criterion
    machine_score: int | None
    machine_rule: str
    score: int | None
    comment: str


def framework_of(case):
    """The framework the case was assessed against (the latest assessment's), or None."""
    assessment = Assessment.objects.filter(case=case).select_related("framework").first()
    return assessment.framework if assessment else None


def review_for(assignment: Assignment) -> Review:
    """The reviewer's review of the case, started empty if there is none yet."""
    review = Review.objects.filter(assignment=assignment).first()
    if review is None:
        framework = framework_of(assignment.case)
        if framework is None:
            raise ReviewError("The case has not been assessed yet: try again in a minute.")
        review, _ = Review.objects.get_or_create(assignment=assignment, framework=framework)
    return review


def lines(review: Review) -> list[Line]:
    """Each criterion with the machine's score and the reviewer's own, in the framework's order."""
    assessment = Assessment.objects.filter(
        case_id=review.assignment.case_id, framework=review.framework
    ).first()
    machine = {s["key"]: s for s in (assessment.scores if assessment else [])}
    mine = {s.criterion_id: s for s in review.scores.all()}
    return [
        Line(
            criterion=c,
            machine_score=machine.get(c.key, {}).get("score"),
            machine_rule=machine.get(c.key, {}).get("rule", ""),
            score=mine[c.pk].score if c.pk in mine else None,
            comment=mine[c.pk].comment if c.pk in mine else "",
        )
        for c in review.framework.criteria.all()
    ]


def save(*, review: Review, by, scores: dict[int, tuple[int | None, str]], submit: bool) -> Review:
    """Saves the reviewer's scores ({criterion id: (score or None, comment)}); with `submit`, every
    criterion must have a score and the review is then final."""
    assignment = review.assignment
    case = assignment.case
    workflow.check_may(by, case, workflow.Action.REVIEW)
    if by.pk != assignment.reviewer_id:
        raise ReviewError("Only the reviewer assigned can score this case.")
    if not assignment.cleared:
        raise ReviewError("Declare your interests before you review this case.")
    criteria = {c.pk: c for c in review.framework.criteria.all()}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ReviewError("Some scores are for criteria this case was not assessed against.")
    for score, _ in scores.values():
        if score is not None and not 0 <= score <= 5:
            raise ReviewError("Each score must be a whole number from 0 to 5.")
    if submit:
        unscored = [criteria[pk].title for pk in criteria if scores.get(pk, (None, ""))[0] is None]
        if unscored:
            raise ReviewError(f"Score every criterion before you submit: {', '.join(unscored)}.")
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.submitted_at is not None:
            raise ReviewError("This review has been submitted and can no longer change.")
        for pk, (score, comment) in scores.items():
            ReviewScore.objects.update_or_create(
                review=locked, criterion_id=pk, defaults={"score": score, "comment": comment}
            )
        if submit:
            locked.submitted_at = timezone.now()
            Event.objects.create(case=case, kind=Event.Kind.REVIEWED, actor=by)
        locked.save()
    review.refresh_from_db()
    return review
