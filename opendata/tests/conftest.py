"""Published decisions: through the officers' real workflow where the test is about what a
bidder asked and an officer agreed, and from factories where a test needs many."""

import datetime

import pytest
from django.utils import timezone

from bids import workflow
from bids.factories import BusinessCaseFactory, complete_answers
from bids.models import Outcome, Status
from evaluation.models import Ground
from evaluation.review import decisions
from members.factories import DecidedCaseFactory

# Put in a case's answers by the tests: none of it may ever be published.
SECRET_EMAIL = "jo.private@example.org"
SECRET_PHONE = "07700 900123"
SECRET_SUMMARY = f"Call Jo Private on {SECRET_PHONE} or write to {SECRET_EMAIL}."


@pytest.fixture
def rejected_through_the_workflow(commissioning_officer):
    """Makes a case that is submitted with answers holding an email and a phone number
    (SECRET_*), screened, rejected and published by the officers' real functions. `asks` puts
    the bidder's request to withhold their name in the declarations; `withhold` is the
    officer's agreement when publishing."""

    def make(*, asks: bool = False, withhold: bool = False, publish: bool = True, **kwargs):
        answers = complete_answers()
        answers["proposal"]["data"]["summary"] = [SECRET_SUMMARY]
        if asks:
            answers["declarations"]["data"]["withhold_name"] = ["on"]
        case = BusinessCaseFactory(answers=answers, **kwargs)
        workflow.submit(case=case, by=case.created_by)
        workflow.move(case=case, to=Status.SCREENING, by=commissioning_officer)
        decisions.decide(
            case=case,
            by=commissioning_officer,
            outcome=Outcome.REJECTED,
            ground=Ground.INADEQUATE,
            reasons="The financial case gives no figures for income.",
        )
        if publish:
            decisions.publish(case=case, by=commissioning_officer, withhold_name=withhold)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def published_case(db):
    """Makes a published decided case from factories (fast): `decision__…` sets the decision,
    `published_at` when it was published (default now)."""

    def make(*, published_at=None, **kwargs):
        published_at = published_at or timezone.now()
        kwargs.setdefault("decision__published_at", published_at)
        return DecidedCaseFactory(status=Status.PUBLISHED, **kwargs)

    return make


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)
