"""Screening a submitted business case: the statutory checklist, and what follows from it.

The portal works out what it can (the body's type against the route, the service's exclusion,
the bid window on the day of submission, which statutory contents were given) and offers it as the
checklist's starting point; the officer confirms each item and is recorded as having done so.
"""

from django.db import transaction

from accounts.models import Organisation
from bids import clarifications, record, workflow
from bids.models import BusinessCase, Event, Status
from evaluation.models import Route, Screening

# Localism Act 2011 s.81(6): the bodies that may use the Community Right to Challenge. A social
# enterprise counts where it is a voluntary or community body (its surpluses go to its purposes);
# a consortium only if every member is one, which the officer checks.
RELEVANT_BODIES = {
    Organisation.BodyType.KCC_EMPLOYEES,
    Organisation.BodyType.VOLUNTARY,
    Organisation.BodyType.CHARITABLE_TRUST,
    Organisation.BodyType.PARISH_COUNCIL,
    Organisation.BodyType.SOCIAL_ENTERPRISE,
}


class ScreeningError(Exception):
    """Why the screening cannot be recorded, for the officer."""


def suggested(case: BusinessCase, route: str = Route.KENT) -> dict[str, bool]:
    """The checklist as far as the portal can tell, for the officer to confirm."""
    answers = record.values(case)
    organisation, service = case.organisation, case.service
    partners = answers["partners"]["items"]
    outcomes = answers["outcomes"]
    submitted_on = case.submitted_at.date() if case.submitted_at else None
    return {
        "body_eligible": route == Route.KENT or organisation.body_type in RELEVANT_BODIES,
        "service_not_excluded": not service.excluded_from_challenge,
        "window_was_open": submitted_on is not None
        and service.bid_window_opens is not None
        and service.bid_window_closes is not None
        and service.bid_window_opens <= submitted_on <= service.bid_window_closes,
        "finances_present": organisation.annual_turnover is not None
        and organisation.reserves is not None
        and all(p.get("turnover") is not None and p.get("reserves") is not None for p in partners),
        "outcomes_present": bool(outcomes.get("service_users", "").strip()),
        "wellbeing_present": all(
            outcomes.get(k, "").strip()
            for k in ("wellbeing_social", "wellbeing_economic", "wellbeing_environmental")
        ),
    }


def screen(
    *,
    case: BusinessCase,
    by,
    route: str,
    checks: dict[str, bool],
    outcome: str,
    ground: str = "",
    reasons: str = "",
    question: str = "",
) -> Screening:
    """Records a screening and carries out its outcome: pass to review, ask the bidder a
    clarification question (emailed; the case waits in screening), or reject on a statutory
    ground (the case is decided). A submitted case is moved to screening first."""
    from evaluation.review import decisions

    workflow.check_may(by, case, workflow.Action.SCREEN)
    missing = [name for name in Screening.CHECKS if name not in checks]
    if missing:
        raise ScreeningError(f"Answer every item of the checklist: {', '.join(missing)}.")
    if outcome == Screening.Outcome.PASS and not all(checks[n] for n in Screening.CHECKS):
        raise ScreeningError(
            "A case passes screening only when every item of the checklist is met: ask a "
            "clarification question or reject it instead."
        )
    if outcome == Screening.Outcome.CLARIFY and not question.strip():
        raise ScreeningError("Enter the question to ask the bidder.")
    if outcome == Screening.Outcome.REJECT and not (ground and reasons.strip()):
        raise ScreeningError("Choose the statutory ground and give the reasons for rejecting it.")

    with transaction.atomic():
        if case.status == Status.SUBMITTED:
            case = workflow.move(case=case, to=Status.SCREENING, by=by)
        screening = Screening.objects.create(
            case=case,
            route=route,
            outcome=outcome,
            ground=ground if outcome == Screening.Outcome.REJECT else "",
            reasons=reasons,
            screened_by=by,
            **{name: bool(checks[name]) for name in Screening.CHECKS},
        )
        Event.objects.create(
            case=case, kind=Event.Kind.SCREENED, actor=by, note=screening.get_outcome_display()
        )
        if outcome == Screening.Outcome.PASS:
            workflow.move(case=case, to=Status.UNDER_REVIEW, by=by)
        elif outcome == Screening.Outcome.CLARIFY:
            clarifications.ask(case=case, question=question, by=by)
        else:
            decisions.decide(
                case=case,
                by=by,
                outcome=decisions.Decision.Outcome.REJECTED,
                ground=ground,
                reasons=reasons,
            )
    return screening
