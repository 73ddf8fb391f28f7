import factory

from accounts.factories import OrganisationFactory, UserFactory
from bids.models import BusinessCase
from services.factories import ServiceFactory


def complete_answers() -> dict:
    """Answers that complete every section, exactly as a browser would post them."""

    def section(**fields):
        return {
            "data": {k: v if isinstance(v, list) else [str(v)] for k, v in fields.items()},
            "checked": True,
        }

    prices = {f"price_year_{y}": "900,000" for y in range(1, 4)}
    return {
        "proposal": section(
            scope="whole",
            delivery_model="cooperative",
            summary="A staff-led co-operative running the service from local hubs.",
        ),
        "outcomes": section(
            service_users="Shorter waits and one named worker for each family.",
            wellbeing_social="Volunteers from the local community.",
            wellbeing_economic="Jobs kept in Thanet.",
            wellbeing_environmental="Fewer car journeys between sites.",
            customer="A single point of contact.",
            communities="A members' board of service users.",
            clout="Contracts with local firms.",
            cost="A tenth cheaper than today.",
            capabilities="Training for every member of staff.",
        ),
        "finance": section(
            contract_term_years=3,
            transition_costs="£50,000",
            investment="120000",
            external_income="40000",
            big_society_grant="0",
            working_capital="250000",
            **prices,
        ),
        "delivery": section(
            readiness="Ready to start six months after award.",
            kpis="Families seen within ten days: 95%.",
            staff_transferring=24,
            pensions="lgps",
        ),
        "partners": section(
            has_items="no",
            **{"partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0"},
        ),
        "social_value": section(
            local_jobs=30, apprenticeships=4, volunteering_hours=2000, kent_spend_percent=60
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
        "declarations": section(accurate="on", authorised="on", sharing="on"),
    }


class BusinessCaseFactory(factory.django.DjangoModelFactory):
    """A draft business case; `complete=True` fills every section."""

    class Meta:
        model = BusinessCase

    class Params:
        complete = factory.Trait(answers=factory.LazyFunction(complete_answers))

    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.SubFactory(ServiceFactory)
    created_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )
    title = factory.LazyAttribute(lambda o: f"{o.service.name}: business case")
    answers = factory.LazyFunction(dict)
