"""Anonymising a rejected case (bids/retention.py) keeps its automatic assessment, and later bids
for the same service are still assessed beside it."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from bids import retention, workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Outcome, Status
from evaluation import assessments, rankings
from evaluation.models import Assessment

pytestmark = pytest.mark.django_db


def rejected_long_ago(officer, **kwargs) -> BusinessCase:
    case = BusinessCaseFactory(complete=True, **kwargs)
    workflow.submit(case=case, by=case.created_by)
    assessments.assess_case(case.pk)
    workflow.move(case=case, to=Status.SCREENING, by=officer)
    workflow.move(case=case, to=Status.DECIDED, by=officer, outcome=Outcome.REJECTED)
    days = settings.PERSONAL_DATA_RETENTION_DAYS + 1
    BusinessCase.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=days)
    )
    return case


def test_a_rejected_case_keeps_its_assessment_when_anonymised(admin_user):
    case = rejected_long_ago(admin_user)
    before = list(Assessment.objects.filter(case=case).values())
    assert len(before) == 1

    assert retention.purge_personal_data().rejected_cases == 1

    case.refresh_from_db()
    assert case.anonymised_at is not None
    assert list(Assessment.objects.filter(case=case).values()) == before


def test_a_new_bid_is_assessed_beside_an_anonymised_rival_without_it(admin_user):
    old = rejected_long_ago(admin_user)
    retention.purge_personal_data()
    rival = BusinessCaseFactory(complete=True, service=old.service)
    live = BusinessCaseFactory(complete=True, service=old.service)
    for case in (rival, live):
        workflow.submit(case=case, by=case.created_by)
    assessments.assess_case(rival.pk)

    assessment = assessments.assess_case(live.pk)

    ranked = rankings.ranking_of(assessment)
    assert old.reference not in str(ranked)
    assert rival.reference in str(ranked) and live.reference in str(ranked)


def test_an_anonymised_cases_decision_packs_lose_their_files_and_keep_their_checksums(
    admin_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    from evaluation.models import DecisionPack
    from evaluation.packs import versions

    settings.MEDIA_ROOT = tmp_path
    case = rejected_long_ago(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        pack = versions.make(versions.request(case=case).pk)
    assert pack.state == DecisionPack.State.READY
    stored = tmp_path / pack.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge_personal_data().rejected_cases == 1

    pack.refresh_from_db()
    assert not stored.exists()  # it held the bidder's answers
    assert (pack.file.name, pack.state) == ("", DecisionPack.State.FAILED)
    assert pack.error.startswith("Removed under the retention policy on")
    assert len(pack.sha256) == 64  # evidence of what was issued
