import pytest

from kcc_portal.celery import ping

pytestmark = pytest.mark.worker


def test_a_real_worker_on_redis_runs_a_task_and_returns_its_result(start_worker):
    start_worker()
    assert ping.delay().get(timeout=30) == "pong"
