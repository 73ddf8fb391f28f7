"""Test data for the read API's tests: published decisions, cases under review, and a cache of
each test's own for the anonymous throttle's counts."""

import uuid

from django.utils import timezone

from bids.factories import BusinessCaseFactory
from bids.models import Status
from evaluation.review import assignments
from members.factories import AssessmentFactory, DecidedCaseFactory

API = "/api/v1"


def own_cache(settings) -> None:
    """Points the cache at a key prefix of this test's own, so that the anonymous throttle counts
    (kept in the shared Redis) start from nothing in every test."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"t{uuid.uuid4().hex}"}
    }


def published_case(**kwargs):
    """A case whose decision is published (made directly, as members' tests do)."""
    return DecidedCaseFactory(
        status=Status.PUBLISHED, decision__published_at=timezone.now(), **kwargs
    )


def case_in_review(**kwargs):
    """A submitted case under review, with the machine's assessment."""
    case = BusinessCaseFactory(
        status=Status.UNDER_REVIEW,
        reference=kwargs.pop("reference", None) or f"RTB-2026-{uuid.uuid4().int % 10**6:06d}",
        submitted_at=timezone.now(),
        **kwargs,
    )
    AssessmentFactory(case=case, total="61.0")
    return case


def assign(case, reviewer, *, by, interest: bool | None = False):
    """Assigns `reviewer` to `case` through the officers' own functions; `interest` is their
    declaration (None: not declared yet)."""
    assignment = assignments.assign(case=case, reviewer=reviewer, by=by)
    if interest is not None:
        assignments.declare(
            assignment=assignment,
            by=reviewer,
            has_interest=interest,
            interest="My sister runs it." if interest else "",
        )
    return assignment
