"""Assessing cases in-process (the worker tests do it through Celery): idempotence, versions,
the sweep, and what officers and bidders see."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bids import workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Event
from evaluation import assessments, frameworks, rankings, sweeps
from evaluation.figures import figures_of
from evaluation.models import Assessment, Criterion, Framework, FrozenFrameworkError

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(django_capture_on_commit_callbacks):
    def make(**kwargs):
        case = BusinessCaseFactory(complete=True, **kwargs)
        # Not executing the on-commit callbacks: nothing is queued, the test assesses itself.
        with django_capture_on_commit_callbacks(execute=False):
            workflow.submit(case=case, by=case.created_by)
        return BusinessCase.objects.get(pk=case.pk)

    return make


def test_the_default_framework_is_seeded_current_with_both_groups():
    framework = Framework.objects.current()
    assert framework.version == 1
    groups = set(framework.criteria.values_list("group", flat=True))
    assert groups == {"make_buy_sell", "public_value"}
    assert all(c.how_assessed for c in framework.criteria.all())


def test_figures_of_a_case_are_its_answers_and_its_services_budgets(submitted):
    case = submitted()
    figures = figures_of(case)
    assert figures.term_years == 3
    assert figures.yearly_prices == (Decimal("900000"),) * 3
    assert figures.transition_costs == Decimal("50000")
    assert figures.price_total == Decimal("2750000")
    assert figures.net_budget == case.service.net_budget
    assert figures.in_house_total == case.service.net_budget * 3
    assert figures.pensions == "lgps"
    assert figures.partners == ()
    assert len(figures.risks) == 1


def test_assessing_twice_gives_one_assessment(submitted):
    case = submitted()
    first = assessments.assess_case(case.pk)
    second = assessments.assess_case(case.pk)
    assert first.pk == second.pk
    assert Assessment.objects.filter(case=case).count() == 1
    assert Event.objects.filter(case=case, kind=Event.Kind.ASSESSED).count() == 1


def test_an_assessment_stores_each_criterion_with_its_rule_and_figures(submitted):
    case = submitted()
    assessment = assessments.assess_case(case.pk)
    framework = Framework.objects.current()
    assert [s["key"] for s in assessment.scores] == list(
        framework.criteria.values_list("key", flat=True)
    )
    for score in assessment.scores:
        assert 0 <= score["score"] <= 5
        assert score["rule"]
        assert score["title"] == framework.criteria.get(key=score["key"]).title
    assert assessment.recommendation in {"MAKE", "BUY", "SELL"}
    assert assessment.reasons
    assert "weights" in assessment.sensitivity
    assert assessment.engine_version


def test_drafts_and_withdrawn_cases_are_not_assessed():
    draft = BusinessCaseFactory(complete=True)
    assert assessments.assess_case(draft.pk) is None
    workflow.withdraw(case=draft, by=draft.created_by)
    assert assessments.assess_case(draft.pk) is None
    assert Assessment.objects.count() == 0


def test_a_framework_that_has_scored_is_frozen_and_a_new_version_scores_anew(
    submitted, commissioning_officer
):
    case = submitted()
    first = assessments.assess_case(case.pk)
    framework = first.framework
    framework.refresh_from_db()
    assert framework.is_frozen
    criterion = framework.criteria.first()
    criterion.weight = Decimal("99")
    with pytest.raises(FrozenFrameworkError):
        criterion.save()

    version_2 = frameworks.new_version(framework, by=commissioning_officer)
    assert version_2.version == 2
    assert not version_2.is_frozen
    changed = version_2.criteria.get(key=criterion.key)
    changed.weight = Decimal("99")
    changed.save()
    frameworks.make_current(version_2, by=commissioning_officer)
    assert Framework.objects.current() == version_2

    second = assessments.assess_case(case.pk)
    assert second.pk != first.pk
    assert second.framework == version_2
    assert Assessment.objects.filter(case=case).count() == 2
    first.refresh_from_db()
    assert first.framework == framework  # the first assessment is untouched
    assert Criterion.objects.get(pk=criterion.pk).weight != Decimal("99")


def test_the_sweep_finds_submitted_cases_left_unassessed(submitted, settings):
    old = submitted()
    recent = submitted()
    done = submitted()
    assessments.assess_case(done.pk)
    BusinessCase.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    BusinessCase.objects.filter(pk=done.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert list(sweeps.unassessed()) == [old]
    assert set(sweeps.unassessed(older_than=datetime.timedelta(0))) == {old, recent}


def test_the_sweep_leaves_decided_cases_alone(submitted, commissioning_officer):
    case = submitted()
    workflow.move(case=case, to="screening", by=commissioning_officer)
    workflow.move(case=case, to="decided", by=commissioning_officer, outcome="rejected")
    assert list(sweeps.unassessed(older_than=datetime.timedelta(0))) == []


def test_submitting_in_process_assesses_at_once(django_capture_on_commit_callbacks):
    """The embedded default (no Redis): tasks run in-process when the submission commits."""
    from kcc_portal.celery import app

    eager = app.conf.task_always_eager  # read (and so loaded) before it is changed
    app.conf.task_always_eager = True
    try:
        case = BusinessCaseFactory(complete=True)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit(case=case, by=case.created_by)
    finally:
        app.conf.task_always_eager = eager
    assert Assessment.objects.filter(case=case).count() == 1


def test_officers_see_the_assessment_with_its_chart(client, admin_user, submitted):
    case = submitted()
    assessment = assessments.assess_case(case.pk)
    client.force_login(admin_user)
    page = client.get(reverse("admin:evaluation_assessment_change", args=[assessment.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert html.count("<rect x=") == len(assessment.scores)  # a bar for each criterion
    assert assessment.reasons[0] in html
    case_page = client.get(reverse("admin:bids_businesscase_change", args=[case.pk]))
    assert "<svg" in case_page.content.decode()


def test_bidders_see_being_assessed_then_no_score(client, submitted):
    case = submitted()
    client.force_login(case.created_by)
    assert "Being assessed." in client.get(case.get_absolute_url()).content.decode()
    assessment = assessments.assess_case(case.pk)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Being assessed." not in html
    assert "Assessed." in html
    assert assessment.recommendation not in html
    assert str(assessment.total) not in html


def test_officers_read_the_sensitivity_in_sentences_with_rival_bids_ranked(submitted):
    from evaluation.admin.assessments import sensitivity_lines

    first = submitted()
    rival = submitted(service=first.service)
    assessments.assess_case(first.pk)
    assessment = assessments.assess_case(rival.pk)
    lines = sensitivity_lines(assessment)
    assert lines[0].startswith("One weight at a time, ±20%: the ")
    assert lines[1].startswith("Random weights within ±20%: it holds in ")
    assert " samples (seed 0); the total ranges from " in lines[1]
    assert lines[2].startswith("Bids for this service, best first: ")
    assert {first.reference, rival.reference} <= set(lines[2].replace(",", " ").split())
    assert "random weightings; the top bid stays top in" in lines[3]


# --- Cost: the same queries however many rival bids; rivals ranked from their stored totals ----


_COPIES = itertools.count()


def copies(case, count):
    """`count` more bids for the case's service, submitted with the case's record (a factory and
    a submission each would make the test slow, and what is assessed is the record)."""
    from bids.models import Status

    return [
        BusinessCaseFactory(
            service=case.service,
            organisation=case.organisation,
            created_by=case.created_by,
            record=case.record,
            status=Status.SUBMITTED,
            reference=f"RTB-COPY-{next(_COPIES):05}",
            submitted_at=timezone.now(),
        )
        for n in range(count)
    ]


def test_assessing_runs_the_same_queries_with_0_and_with_20_rivals(
    submitted, django_assert_num_queries
):
    assessments.assess_case(submitted().pk)  # freezes the framework: once only
    alone = submitted()
    crowded = submitted()
    for rival in copies(crowded, 20):
        assessments.assess_case(rival.pk)

    # BEGIN (here a savepoint); the case, locked, read with its framework (whose criteria are read
    # once a process, once it is frozen); the assessment saved with the case marked assessed and
    # its event; COMMIT. The rivals are not read: the ranking is worked out when it is read.
    with django_assert_num_queries(4):
        lonely = assessments.assess_case(alone.pk)
    with django_assert_num_queries(4):
        ranked = assessments.assess_case(crowded.pk)

    assert "ranking" not in lonely.sensitivity and "ranking" not in ranked.sensitivity
    assert rankings.ranking_of(lonely) is None
    assert len(rankings.ranking_of(ranked).order) == 21


def test_reading_a_ranking_runs_the_same_queries_with_2_and_with_21_bids(
    submitted, django_assert_num_queries
):
    small = submitted()
    large = submitted()
    few = [assessments.assess_case(c.pk) for c in (small, *copies(small, 1))]
    many = [assessments.assess_case(c.pk) for c in (large, *copies(large, 20))]

    for bids in (few, many):
        with django_assert_num_queries(2):  # the bids' stored totals; the criteria
            ranking = rankings.ranking_of(bids[0])
        assert len(ranking.order) == len(bids)


def test_a_ranking_covers_bids_assessed_after_this_one_and_leaves_out_withdrawn_ones(submitted):
    """Read, not stored: the first bid's ranking includes the bids that came after it."""
    first = submitted()
    later = submitted(service=first.service)
    gone = submitted(service=first.service)
    elsewhere = submitted()
    made = {c.pk: assessments.assess_case(c.pk) for c in (first, later, gone, elsewhere)}
    workflow.withdraw(case=gone, by=gone.created_by)

    ranking = rankings.ranking_of(made[first.pk])

    assert {b.id for b in ranking.order} == {first.reference, later.reference}
    assert rankings.ranking_of(made[later.pk]) == ranking
    assert rankings.ranking_of(made[elsewhere.pk]) is None


def test_the_saved_assessment_is_what_the_orm_reads_back(submitted):
    """The PostgreSQL path writes its own INSERT: every column must read back as it was made,
    and the case be marked assessed with one event, when it was."""
    case = submitted()
    made = assessments.assess_case(case.pk)
    stored = Assessment.objects.get(pk=made.pk)
    for field in Assessment._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(made, field.attname), field.name
    case.refresh_from_db()
    event = Event.objects.get(case=case, kind=Event.Kind.ASSESSED)
    assert case.assessed_at == event.at
    assert (event.actor_id, event.from_status, event.to_status, event.note) == (None, "", "", "")


def test_the_one_statement_read_finds_what_the_orm_read_finds(submitted):
    """On PostgreSQL a case is read in one statement; other databases read the same through the
    ORM. Both, on the same case, with rivals on its service."""
    first = submitted()
    middle = submitted(service=first.service)
    after = copies(first, 2)
    for rival in (first, after[0]):
        assessments.assess_case(rival.pk)

    framework = Framework.objects.current()
    for given in (None, framework):
        by_sql = assessments._load_postgresql(middle.pk, given)
        by_orm = assessments._load_orm(middle.pk, given)
        assert (by_sql.framework_id, by_sql.frozen_at, by_sql.existing_id) == (
            by_orm.framework_id,
            by_orm.frozen_at,
            by_orm.existing_id,
        )
        assert figures_of(by_sql.case) == figures_of(by_orm.case)
        assert by_sql.case.reference == by_orm.case.reference == middle.reference

    assessments.assess_case(middle.pk)
    done = assessments._load_postgresql(middle.pk, None)
    assert done.existing_id == assessments._load_orm(middle.pk, None).existing_id is not None
    assert assessments._load_postgresql(after[1].pk + 1000, None) is None


def test_the_ranking_from_stored_totals_is_the_ranking_of_the_bids_figures(submitted):
    """Ranking from rivals' stored totals gives what scoring every bid again would give, ties in
    the order the bids were submitted. Cheaper and dearer bids, so the order means something."""
    from evaluation import sensitivity

    first = submitted()
    cases = [first]
    for price in ("880,000", "990,000", "900,000"):
        case = BusinessCaseFactory(complete=True, service=first.service)
        for year in (1, 2, 3):
            case.answers["finance"]["data"][f"price_year_{year}"] = [price]
        case.save()
        workflow.submit(case=case, by=case.created_by)
        cases.append(BusinessCase.objects.get(pk=case.pk))
    made = [assessments.assess_case(case.pk) for case in cases]

    criteria = frameworks.specs(Framework.objects.current())
    by_figures = sensitivity.ranking(
        {c.reference: figures_of(c) for c in cases}, criteria, samples=300, seed=0
    ).as_dict()
    for assessment in made:
        assert rankings.ranking_of(assessment).as_dict() == by_figures
    assert len({b["total"] for b in by_figures["order"]}) == 3  # two bids tie, at 900,000


def test_a_rival_assessed_before_totals_were_stored_is_ranked_from_its_scores(
    submitted, django_assert_num_queries
):
    first = submitted()
    rival = submitted(service=first.service)
    assessments.assess_case(first.pk)
    assessment = assessments.assess_case(rival.pk)
    expected = rankings.ranking_of(assessment)
    # As an assessment made before migration 0005 stored them: no totals.
    Assessment.objects.filter(case=first).update(totals={})

    with django_assert_num_queries(3):  # one more: the old assessment's scores
        again = rankings.ranking_of(assessment)

    assert again == expected
