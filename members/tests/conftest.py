"""Decided cases with ready packs, stored in a media folder of the test's own."""

import pytest

from members.factories import DecidedCaseFactory, DecisionPackFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def decided(db):
    """A decided case with its decision pack, version 1, ready."""
    case = DecidedCaseFactory(reference="RTB-2026-0001")
    DecisionPackFactory(case=case, version=1)
    return case
