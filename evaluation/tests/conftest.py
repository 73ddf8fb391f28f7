"""A submitted, assessed case and officers to work on it, for the officers' workflow tests."""

import pytest

from accounts.factories import UserFactory
from accounts.roles import Role
from bids import workflow
from bids.factories import BusinessCaseFactory
from evaluation import assessments
from evaluation.review import assignments


@pytest.fixture
def assessed_case(db):
    """Returns a function making a complete case, submitted and assessed (in-process)."""

    def make(**kwargs):
        case = BusinessCaseFactory(complete=True, **kwargs)
        workflow.submit(case=case, by=case.created_by)
        assessments.assess_case(case.pk)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def reviewers(db):
    return [
        UserFactory(role=Role.REVIEWER, full_name="Rae Reviewer"),
        UserFactory(role=Role.REVIEWER, full_name="Ron Reviewer"),
    ]


@pytest.fixture
def under_review(assessed_case, commissioning_officer, reviewers):
    """A case that passed screening, with two reviewers assigned and cleared."""
    from evaluation.review import screening

    case = assessed_case()
    screening.screen(
        case=case,
        by=commissioning_officer,
        route="kent",
        checks=dict.fromkeys(screening.Screening.CHECKS, True),
        outcome="pass",
    )
    for reviewer in reviewers:
        assignment = assignments.assign(case=case, reviewer=reviewer, by=commissioning_officer)
        assignments.declare(assignment=assignment, by=reviewer, has_interest=False)
    case.refresh_from_db()
    return case
