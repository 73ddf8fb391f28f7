import pytest

from services.districts import KENT_DISTRICTS
from services.models import District


@pytest.fixture
def kent_districts(db):
    """Kent's twelve districts (every migrated database has them), in KENT_DISTRICTS' order."""
    by_name = {d.name: d for d in District.objects.filter(name__in=KENT_DISTRICTS)}
    return [by_name[name] for name in KENT_DISTRICTS]
