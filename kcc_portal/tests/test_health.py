"""GET /healthz against real services, and with the broker or the cache really unreachable.

"Unreachable" means a local port where nothing listens, so the checks fail the way they would in
production (connection refused), not through a mock.
"""

import pytest
from django.conf import settings as django_settings

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
@pytest.mark.skipif(
    not django_settings.REDIS_URL,
    reason="needs a real Redis: set REDIS_URL (the README's test command does)",
)
def test_healthz_is_ok_when_database_cache_and_broker_are_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_healthz_says_tasks_run_in_process_when_there_is_no_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok (tasks run in-process)"


@pytest.mark.django_db
def test_healthz_is_unavailable_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = NOTHING_LISTENS

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "ok", "broker": "unavailable"},
    }


@pytest.mark.django_db
def test_healthz_is_unavailable_when_the_cache_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": NOTHING_LISTENS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "ok (tasks run in-process)"},
    }


@pytest.mark.django_db
def test_healthz_reveals_no_configuration_when_a_check_fails(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = NOTHING_LISTENS

    body = client.get("/healthz").content.decode()

    assert "127.0.0.1" not in body
    assert "redis" not in body
    assert "refused" not in body


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_favicon_ico_is_found(client):
    response = client.get("/favicon.ico")
    # Not permanent: the file's hashed name changes when GOV.UK Frontend is upgraded.
    assert response.status_code == 302
    assert response.url.startswith("/static/") and response.url.endswith(".ico")
    icon = client.get(response.url)
    assert icon.status_code == 200
    assert icon["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
