"""The record as submitted: typed, worded as the bidder saw it, and deaf to later form changes."""

from decimal import Decimal

import pytest

from bids import forms as f
from bids import record, workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase
from evaluation import assessments
from evaluation.figures import figures_of
from evaluation.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    case = BusinessCaseFactory(complete=True)
    return workflow.submit(case=case, by=case.created_by)


def test_submission_keeps_the_typed_answers_and_their_wording(submitted):
    assert submitted.record["version"] == record.SCHEMA_VERSION
    values = record.values(submitted)
    assert values["finance"]["transition_costs"] == Decimal("50000")
    assert values["finance"]["contract_term_years"] == 3
    assert values["social_value"]["local_jobs"] == 30
    assert values["declarations"]["accurate"] is True
    (finance,) = [rows for title, rows in record.document(submitted) if title == "Financial case"]
    assert ("Transition costs", "£50,000") in finance


def test_a_draft_has_no_record_and_says_so():
    draft = BusinessCaseFactory(complete=True)
    with pytest.raises(record.NotSubmitted):
        record.values(draft)


def test_changing_a_sections_form_after_submission_changes_neither_the_record_nor_the_scores(
    submitted, monkeypatch
):
    before = BusinessCase.objects.get(pk=submitted.pk).record
    first = assessments.assess_case(submitted.pk)
    figures = figures_of(submitted)

    # The council later rewords a question and halves a maximum, and the finance form now
    # reads every price as £1: a draft would read differently, a submitted case must not.
    jobs = f.SocialValueForm.base_fields["local_jobs"]
    monkeypatch.setattr(jobs, "label", "Full-time jobs for Kent residents")
    monkeypatch.setattr(
        f.FinanceForm, "clean", lambda self: {**self.cleaned_data, "transition_costs": 1}
    )

    case = BusinessCase.objects.get(pk=submitted.pk)
    assert case.record == before
    assert figures_of(case) == figures
    (social,) = [rows for title, rows in record.document(case) if title == "Social value"]
    assert ("Jobs for Kent residents", "30") in social
    Assessment.objects.filter(pk=first.pk).delete()
    again = assessments.assess_case(case.pk)
    assert (again.scores, again.total, again.recommendation) == (
        first.scores,
        first.total,
        first.recommendation,
    )


def test_blind_rows_withhold_partners_names():
    case = BusinessCaseFactory(complete=True)
    case.answers["partners"]["data"] = {
        "has_items": ["yes"],
        "partners-TOTAL_FORMS": ["1"],
        "partners-INITIAL_FORMS": ["0"],
        "partners-0-name": ["Margate Builders Ltd"],
        "partners-0-role": ["subcontractor"],
        "partners-0-work": ["Repairs"],
        "partners-0-turnover": ["100000"],
        "partners-0-reserves": ["5000"],
    }
    case.save()
    case = workflow.submit(case=case, by=case.created_by)
    assert "Margate Builders Ltd" in str(record.document(case))
    assert "Margate Builders Ltd" not in str(record.document(case, blind=True))
    assert "Repairs" in str(record.document(case, blind=True))
