"""Moderation: every reviewer's score per criterion beside the machine's, wide spreads flagged, and
the moderator's consensus with its reasons, read as MAKE / BUY / SELL by the machine's own rules."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bids import workflow
from bids.models import BusinessCase, Event
from evaluation import frameworks, scoring
from evaluation.figures import figures_of
from evaluation.models import Assessment, Consensus, ConsensusScore, Criterion, ReviewScore
from evaluation.review.reviews import framework_of

# Reviewers this far apart on a criterion (out of 5) are flagged for the moderator.
WIDE_SPREAD = 2


class ModerationError(Exception):
    """Why the consensus cannot be recorded, for the moderator."""


@dataclass(frozen=True)
class Row:
    criterion: Criterion
    machine_score: int | None
    machine_rule: str
    reviews: tuple[tuple[str, int | None, str], ...]  # (reviewer, score, comment)
    consensus_score: int | None
    consensus_reason: str

    @property
    def spread(self) -> int | None:
        scores = [s for _, s, _ in self.reviews if s is not None]
        return max(scores) - min(scores) if len(scores) > 1 else None

    @property
    def flagged(self) -> bool:
        return self.spread is not None and self.spread >= WIDE_SPREAD


def table(case: BusinessCase) -> list[Row]:
    """A row per criterion: the machine's score, each submitted review's, and the consensus so far.
    A constant number of queries, however many reviewers and criteria."""
    framework = framework_of(case)
    if framework is None:
        return []
    assessment = Assessment.objects.filter(case=case, framework=framework).first()
    machine = {s["key"]: s for s in (assessment.scores if assessment else [])}
    reviews: dict[int, list] = {}
    for score in (
        ReviewScore.objects.filter(
            review__assignment__case=case, review__submitted_at__isnull=False
        )
        .select_related("review__assignment__reviewer")
        .order_by("review__assignment__assigned_at", "review__pk")
    ):
        reviewer = score.review.assignment.reviewer
        reviews.setdefault(score.criterion_id, []).append(
            (str(reviewer), score.score, score.comment)
        )
    agreed = {s.criterion_id: s for s in ConsensusScore.objects.filter(consensus__case=case)}
    return [
        Row(
            criterion=c,
            machine_score=machine.get(c.key, {}).get("score"),
            machine_rule=machine.get(c.key, {}).get("rule", ""),
            reviews=tuple(reviews.get(c.pk, ())),
            consensus_score=agreed[c.pk].score if c.pk in agreed else None,
            consensus_reason=agreed[c.pk].reason if c.pk in agreed else "",
        )
        for c in framework.criteria.all()
    ]


def reading(case: BusinessCase, framework, scores: dict[str, int]) -> scoring.Reading:
    """The consensus scores read by the machine's rules: total, recommendation and reasons."""
    return scoring.read_scores(figures_of(case), frameworks.specs(framework), scores)


def record(
    *, case: BusinessCase, by, scores: dict[int, tuple[int | None, str]], final: bool
) -> Consensus:
    """Saves the moderator's consensus ({criterion id: (score or None, reason)}). With `final`,
    every criterion needs a score and a reason, and the weighted total and its MAKE / BUY / SELL
    reading are recorded beside the machine's."""
    workflow.check_may(by, case, workflow.Action.MODERATE)
    framework = framework_of(case)
    criteria = {c.pk: c for c in framework.criteria.all()}
    if set(scores) - set(criteria):
        raise ModerationError("Some scores are for criteria this case was not assessed against.")
    for score, _ in scores.values():
        if score is not None and not 0 <= score <= 5:
            raise ModerationError("Each score must be a whole number from 0 to 5.")
    if final:
        missing = [
            c.title
            for pk, c in criteria.items()
            if scores.get(pk, (None, ""))[0] is None or not scores[pk][1].strip()
        ]
        if missing:
            raise ModerationError(
                f"Give a score and a reason for every criterion: {', '.join(missing)}."
            )
    with transaction.atomic():
        consensus, _ = Consensus.objects.select_for_update().get_or_create(
            case=case, defaults={"framework": framework, "moderator": by}
        )
        for pk, (score, reason) in scores.items():
            ConsensusScore.objects.update_or_create(
                consensus=consensus, criterion_id=pk, defaults={"score": score, "reason": reason}
            )
        consensus.moderator = by
        if final:
            read = reading(case, framework, {criteria[pk].key: s for pk, (s, _) in scores.items()})
            consensus.total, consensus.recommendation = read.total, read.recommendation
            consensus.reasons = list(read.reasons)
            consensus.recorded_at = timezone.now()
            Event.objects.create(
                case=case,
                kind=Event.Kind.MODERATED,
                actor=by,
                note=f"Consensus total {read.total}: {read.recommendation}",
            )
        consensus.save()
    return consensus
