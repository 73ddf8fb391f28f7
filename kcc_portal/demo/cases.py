"""Demo business cases in every state, made through the same functions as the real journey.

Each case is written section by section (bids.sections.save_draft), submitted (bids.workflow),
assessed (evaluation.assessments) and then screened, reviewed, moderated, decided and published
by the demo officers through evaluation.review, so the demo shows what the portal really does.
All the figures are illustrative. Idempotent: a case whose title exists is left alone.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group

from accounts.models import Organisation, User
from accounts.roles import Role
from bids import sections, workflow
from bids.models import BusinessCase, Outcome, Status
from evaluation import assessments
from evaluation.models import Ground, Route, Screening
from evaluation.review import assignments, decisions, moderation, reviews, screening
from services.models import Service

ALL_MET = dict.fromkeys(Screening.CHECKS, True)


@dataclass(frozen=True)
class DemoCase:
    title: str
    service: str
    organisation: str
    body_type: str
    reaches: str  # the status it is taken to
    price_share: Decimal  # yearly price as a share of the service's net budget
    income_share: Decimal = Decimal("0.05")  # income from others, as a share of the price
    term: int = 5
    staff: int = 20
    summary: str = ""
    outcome: str = ""
    ground: str = ""
    reasons: str = ""
    scores: tuple[int, int] = (3, 4)  # the two reviewers' scores on every criterion
    interest: bool = False  # the second reviewer declares an interest
    withhold_name: bool = False  # the bidder asks not to be named, and the officer agrees
    extra: dict = field(default_factory=dict)


V = Organisation.BodyType
CASES = [
    DemoCase(
        "Youth work run by a community mutual",
        "Kent Youth Service",
        "Thanet Community Partnership",  # the demo bidder's: they read its decision letter
        V.VOLUNTARY,
        Status.PUBLISHED,
        Decimal("0.88"),
        summary="Youth workers form a public-service mutual, keep every youth centre open and "
        "bring in volunteers and lottery funding.",
        outcome=Outcome.ACCEPTED,
        reasons="The mutual saves 12% over five years, keeps every centre open and is backed by "
        "a credible plan for volunteers. It proceeds to a full business case.",
    ),
    DemoCase(
        "Legal services as a trading company",
        "Legal Services",
        "Kent Legal Partnership LLP",
        V.PRIVATE_COMPANY,
        Status.PUBLISHED,
        Decimal("0.9"),
        income_share=Decimal("0.4"),
        summary="A trading company owned with KCC sells legal services to district councils "
        "and academies, and returns a dividend to the council.",
        outcome=Outcome.ACCEPTED_WITH_MODIFICATION,
        reasons="A strong trading case. Accepted on condition that KCC keeps a golden share.",
        extra={"modification": "KCC keeps a golden share and a seat on the board."},
    ),
    DemoCase(
        "Country parks by a charitable trust",
        "Country Parks",
        "Kent Downs Parks Trust",
        V.CHARITABLE_TRUST,
        Status.PUBLISHED,
        Decimal("1.08"),
        summary="A trust runs the parks with volunteers and a café in each.",
        outcome=Outcome.REJECTED,
        ground=Ground.INADEQUATE,
        reasons="The financial case does not show how the trust would cover the 8% extra cost "
        "to the council, and the business plan gives no figures for café income.",
        scores=(2, 2),
        withhold_name=True,
    ),
    DemoCase(
        "Back-office finance shared with districts",
        "Finance and Procurement",
        "East Kent Shared Services",
        V.PUBLIC_BODY,
        Status.DECIDED,
        Decimal("0.85"),
        summary="Four district councils and KCC share one finance team.",
        outcome=Outcome.ACCEPTED,
        reasons="Saves 15% and keeps jobs in Kent. To be published after the cabinet meeting.",
    ),
    DemoCase(
        "Children's centres run by a social enterprise",
        "Children's Centres (East Kent)",
        "Thanet Family Hubs CIC",
        V.SOCIAL_ENTERPRISE,
        Status.MODERATION,
        Decimal("0.93"),
        summary="A community interest company runs the children's centres as family hubs.",
        scores=(1, 4),
    ),
    DemoCase(
        "Adult day services co-operative",
        "Day Services for Older People (Swale and Thanet)",
        "Maidstone Day Care Co-operative",
        V.KCC_EMPLOYEES,
        Status.UNDER_REVIEW,
        Decimal("0.95"),
        summary="Staff and carers form a co-operative running day centres seven days a week.",
        interest=True,
    ),
    DemoCase(
        "Libraries with the parish councils",
        "Libraries (Canterbury and Dover)",
        "Sevenoaks Parishes Consortium",
        V.CONSORTIUM,
        Status.SCREENING,
        Decimal("0.97"),
        summary="Parish councils run village libraries with volunteers, supported by a hub.",
    ),
    DemoCase(
        "School support services trading company",
        "School Improvement Support",
        "Thanet Community Partnership",
        V.VOLUNTARY,
        Status.SUBMITTED,
        Decimal("0.9"),
        income_share=Decimal("0.3"),
        summary="Sell school support services to academies across the South East.",
    ),
    DemoCase(
        "Highways verges by volunteers",
        "Highways Soft Landscaping (Maidstone and Swale)",
        "Thanet Community Partnership",
        V.VOLUNTARY,
        Status.DRAFT,
        Decimal("0.9"),
        summary="Volunteer groups cut verges and report potholes.",
    ),
    DemoCase(
        "Gateway advice in village halls",
        "Kent Gateway (Ashford)",
        "Dover Advice Network",
        V.VOLUNTARY,
        Status.WITHDRAWN,
        Decimal("0.96"),
        summary="Advice surgeries in village halls.",
    ),
]


def answers(spec: DemoCase, service: Service) -> dict[str, dict[str, list[str]]]:
    """Complete answers, as a browser posts them, with prices set against the net budget."""
    price = (service.net_budget * spec.price_share).quantize(Decimal("1"))
    income = (price * spec.income_share).quantize(Decimal("1"))

    def section(**fields):
        return {k: v if isinstance(v, list) else [str(v)] for k, v in fields.items()}

    return {
        "proposal": section(scope="whole", delivery_model="cooperative", summary=spec.summary),
        "outcomes": section(
            service_users="Shorter waits and one named worker for each person.",
            wellbeing_social="Volunteers from the local community, and a members' board.",
            wellbeing_economic="Jobs kept in Kent and local suppliers used first.",
            wellbeing_environmental="Fewer car journeys between sites.",
            customer="A single point of contact and evening opening.",
            communities="Decisions taken by a board of people who use the service.",
            clout="Contracts with local firms.",
            cost="Cheaper than today over the term.",
            capabilities="Training for every member of staff.",
        ),
        "finance": section(
            contract_term_years=spec.term,
            transition_costs=(price * Decimal("0.02")).quantize(Decimal("1")),
            investment=(price * Decimal("0.05")).quantize(Decimal("1")),
            external_income=income,
            big_society_grant=0,
            working_capital=(price * Decimal("0.2")).quantize(Decimal("1")),
            **{f"price_year_{y}": price for y in range(1, spec.term + 1)},
        ),
        "delivery": section(
            readiness="Ready to start six months after award.",
            kpis="People seen within ten days: 95%. Satisfaction: 90%.",
            staff_transferring=spec.staff,
            pensions="lgps",
        ),
        "partners": section(
            has_items="no", **{"partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0"}
        ),
        "social_value": section(
            local_jobs=spec.staff + 5,
            apprenticeships=4,
            volunteering_hours=2000,
            kent_spend_percent=60,
        ),
        "risks": section(
            **{
                "risks-TOTAL_FORMS": "1",
                "risks-INITIAL_FORMS": "0",
                "risks-0-description": "Staff do not transfer.",
                "risks-0-likelihood": "low",
                "risks-0-impact": "high",
                "risks-0-mitigation": "Consult staff from the start.",
            }
        ),
        "declarations": section(
            accurate="on",
            authorised="on",
            sharing="on",
            **({"withhold_name": "on"} if spec.withhold_name else {}),
        ),
    }


@dataclass(frozen=True)
class Officers:
    commissioning: User
    moderator: User
    reviewers: tuple[User, User]


def load(*, bidder: User, officers: Officers) -> int:
    """Makes each demo case that does not exist yet; returns how many were made."""
    made = 0
    for spec in CASES:
        if BusinessCase.objects.filter(title=spec.title).exists():
            continue
        _make(spec, bidder=bidder, officers=officers)
        made += 1
    return made


def render_packs() -> int:
    """Makes sure each decided demo case has a ready decision pack, rendering here and now any
    that is missing (a demo has no worker to wait for: with tasks run in-process the decision
    rendered it already). Idempotent: a case with a ready pack gets no new version. Returns how
    many decided demo cases have a ready pack."""
    from evaluation.models import DecisionPack
    from evaluation.packs import versions

    State = DecisionPack.State
    decided = BusinessCase.objects.filter(
        title__in=[spec.title for spec in CASES], status__in=workflow.DECIDED
    )
    ready = 0
    for case in decided:
        if not case.packs.filter(state=State.READY).exists():
            pack = case.packs.filter(state__in=[State.QUEUED, State.FAILED]).first()
            if pack is None:
                pack = versions.request(case=case)
            elif pack.state == State.FAILED:
                DecisionPack.objects.filter(pk=pack.pk, state=State.FAILED).update(
                    state=State.QUEUED, error=""
                )
            versions.make(pack.pk)
        ready += case.packs.filter(state=State.READY).exists()
    return ready


def _organisation(spec: DemoCase, bidder: User) -> tuple[Organisation, User]:
    if bidder.organisation and bidder.organisation.name == spec.organisation:
        return bidder.organisation, bidder
    organisation, _ = Organisation.objects.get_or_create(
        name=spec.organisation,
        defaults={
            "body_type": spec.body_type,
            "address_line_1": "1 High Street",
            "town": "Maidstone",
            "postcode": "ME14 1XQ",
            "annual_turnover": Decimal("2500000"),
            "reserves": Decimal("400000"),
        },
    )
    email = f"demo-{organisation.pk}@example.org"
    author = User.objects.filter(email=email).first()
    if author is None:
        # No password: these bidders exist so that cases have authors, not to sign in.
        author = User.objects.create_user(
            email, None, full_name=f"{spec.organisation} lead", organisation=organisation
        )
        author.groups.add(Group.objects.get(name=Role.BIDDER))
    return organisation, author


def _make(spec: DemoCase, *, bidder: User, officers: Officers) -> BusinessCase:
    service = Service.objects.get(name=spec.service)
    organisation, author = _organisation(spec, bidder)
    case = BusinessCase.objects.create(
        organisation=organisation, service=service, created_by=author, title=spec.title
    )
    for key, data in answers(spec, service).items():
        sections.save_draft(case=case, key=key, data=data, checked=True)
    if spec.reaches == Status.DRAFT:
        return case
    case = workflow.submit(case=case, by=author)
    assessments.assess_case(case.pk)
    if spec.reaches == Status.WITHDRAWN:
        return workflow.withdraw(case=case, by=author, reason="Our partner pulled out.")
    if spec.reaches == Status.SUBMITTED:
        return case
    c, m = officers.commissioning, officers.moderator
    if spec.reaches == Status.SCREENING:
        return workflow.move(case=case, to=Status.SCREENING, by=c)
    screening.screen(case=case, by=c, route=Route.KENT, checks=ALL_MET, outcome="pass")
    case.refresh_from_db()
    cleared = []
    for n, reviewer in enumerate(officers.reviewers):
        assignment = assignments.assign(case=case, reviewer=reviewer, by=c)
        if spec.reaches == Status.UNDER_REVIEW and n == 0:
            continue  # the demo reviewer has a declaration waiting
        interest = spec.interest and n == 1
        assignments.declare(
            assignment=assignment,
            by=reviewer,
            has_interest=interest,
            interest="I used to manage this service's budget." if interest else "",
        )
        if not interest:
            cleared.append((assignment, spec.scores[n]))
    if spec.reaches == Status.UNDER_REVIEW:
        return case
    for assignment, score in cleared:
        review = reviews.review_for(assignment)
        scores = {
            c_.pk: (score, "Scored against the evidence in the case.")
            for c_ in review.framework.criteria.all()
        }
        reviews.save(review=review, by=assignment.reviewer, scores=scores, submit=True)
    case = workflow.move(case=case, to=Status.MODERATION, by=c)
    if spec.reaches == Status.MODERATION:
        return case
    framework = reviews.framework_of(case)
    agreed = round(sum(spec.scores) / 2)
    moderation.record(
        case=case,
        by=m,
        scores={
            c_.pk: (agreed, "The panel agreed on the middle of the reviewers' scores.")
            for c_ in framework.criteria.all()
        },
        final=True,
    )
    decisions.decide(
        case=case,
        by=c,
        outcome=spec.outcome,
        ground=spec.ground,
        reasons=spec.reasons,
        modification=spec.extra.get("modification", ""),
    )
    if spec.reaches == Status.PUBLISHED:
        decisions.publish(case=case, by=c, withhold_name=spec.withhold_name)
    case.refresh_from_db()
    return case
