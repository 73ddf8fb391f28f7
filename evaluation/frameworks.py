"""Criteria frameworks: the default one, new versions, and the plain specs scoring reads."""

from django.db import transaction
from django.utils import timezone

from evaluation.models import Criterion, Framework

DEFAULT_NAME = "Make, buy or sell and public value"


def specs(framework: Framework):
    """The framework's criteria as plain data for evaluation.scoring."""
    return specs_of(framework.criteria.all())


def specs_of(criteria):
    """Criterion rows as plain data for evaluation.scoring."""
    from evaluation.scoring import CriterionSpec

    return tuple(
        CriterionSpec(key=c.key, group=c.group, weight=c.weight, threshold=c.threshold)
        for c in criteria
    )


def ensure_default(**kwargs) -> None:
    """Seeds version 1 of the default framework, as current, where there is no framework at all.
    Connected to post_migrate, so a new deployment (and each test database) has one."""
    from evaluation.scoring import DEFAULT_CRITERIA, DEFAULT_TITLES

    if Framework.objects.exists():
        return
    with transaction.atomic():
        framework = Framework.objects.create(
            name=DEFAULT_NAME, version=1, is_current=True, notes="The default framework."
        )
        for order, spec in enumerate(DEFAULT_CRITERIA):
            title, how = DEFAULT_TITLES[spec.key]
            Criterion.objects.create(
                framework=framework,
                key=spec.key,
                title=title,
                group=spec.group,
                weight=spec.weight,
                threshold=spec.threshold,
                how_assessed=how,
                order=order,
            )


def freeze(framework: Framework) -> None:
    """Marks the framework as having scored a case (once; later calls change nothing)."""
    Framework.objects.filter(pk=framework.pk, frozen_at__isnull=True).update(
        frozen_at=timezone.now()
    )


class FrameworkError(Exception):
    """A change to the frameworks that cannot be made; the message says why."""


def _check(by, permission: str, doing: str) -> None:
    # Frameworks decide how every new case is scored: only those whose role holds the
    # permission (accounts/roles.py: commissioning officers) change them.
    if by is None or not by.is_active or not by.has_perm(permission):
        raise FrameworkError(f"Only a commissioning officer can {doing}.")


def new_version(framework: Framework, *, by) -> Framework:
    """A copy of the framework, with the next version number, not yet current or frozen: the way
    to change a frozen framework."""
    _check(by, "evaluation.add_framework", "make a new version of a criteria framework")
    with transaction.atomic():
        latest = Framework.objects.filter(name=framework.name).order_by("-version").first()
        copy = Framework.objects.create(
            name=framework.name,
            version=latest.version + 1,
            notes=f"Copied from version {framework.version}.",
        )
        Criterion.objects.bulk_create(
            Criterion(
                framework=copy,
                key=c.key,
                title=c.title,
                group=c.group,
                weight=c.weight,
                threshold=c.threshold,
                how_assessed=c.how_assessed,
                order=c.order,
            )
            for c in framework.criteria.all()
        )
    return copy


def make_current(framework: Framework, *, by) -> None:
    """New business cases will be scored against this framework."""
    _check(by, "evaluation.change_framework", "choose the criteria framework cases are scored by")
    if not framework.criteria.exists():
        raise FrameworkError(f"{framework} has no criteria: add them before making it current.")
    with transaction.atomic():
        Framework.objects.filter(is_current=True).exclude(pk=framework.pk).update(is_current=False)
        Framework.objects.filter(pk=framework.pk).update(is_current=True)
