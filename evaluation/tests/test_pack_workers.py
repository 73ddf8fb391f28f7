"""Decision packs rendered by a real Celery worker on Redis and PostgreSQL."""

import pytest

from evaluation.models import DecisionPack
from evaluation.packs import files
from evaluation.tests.test_packs import decide_with_three_reviewers, submitted
from evaluation.tests.test_workers import wait_for

pytestmark = pytest.mark.worker


def test_a_decision_is_followed_by_its_pack_rendered_by_a_real_worker(
    start_worker, settings, tmp_path, commissioning_officer, moderator
):
    settings.MEDIA_ROOT = tmp_path
    worker = start_worker(MEDIA_ROOT=str(tmp_path))
    # Committed as it goes (transactional_db): the decision's signal asks for the pack on commit.
    case = decide_with_three_reviewers(
        submitted(), commissioning_officer=commissioning_officer, moderator=moderator
    )

    def ready():
        pack = DecisionPack.objects.filter(case=case).first()
        return pack is not None and pack.state in {"ready", "failed"}

    wait_for(ready, what="the decision pack", logs=[worker])
    pack = DecisionPack.objects.get(case=case)
    assert (pack.version, pack.state, pack.progress, pack.error) == (1, "ready", 100, "")
    assert pack.pages > 5 and pack.started_at <= pack.finished_at
    assert files.intact(pack)
