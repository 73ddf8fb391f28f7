"""`manage.py check --deploy` passes with a production environment, and really checks something.

Each test runs manage.py in a fresh process, because settings are read from the environment once,
at start-up.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Only what a process needs to run, and the services' addresses: nothing else from the test
# run leaks in (conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE, which the check rightly rejects).
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "DATABASE_URL", "REDIS_URL")


def production_environment(**overrides: str | None) -> dict[str, str]:
    env = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="kcc_portal.settings",
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="righttobid.kent.gov.uk",
    )
    env.update(overrides)
    # An override of None removes the variable, so that the settings fall back to their default.
    return {k: v for k, v in env.items() if v is not None}


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_a_production_environment():
    production = production_environment()
    assert len(production["SECRET_KEY"]) >= 50

    result = check_deploy(production)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("System check identified no issues")
    assert result.stderr == ""


def test_deploy_check_fails_with_the_default_secret_key():
    result = check_deploy(production_environment(SECRET_KEY=None))

    assert result.returncode == 1
    assert "(security.W009) Your SECRET_KEY" in result.stderr


def test_deploy_check_fails_without_https():
    result = check_deploy(production_environment(HTTPS="false"))

    assert result.returncode == 1
    for warning in ("W004", "W008", "W012", "W016"):
        assert f"(security.{warning})" in result.stderr


def test_deploy_check_fails_with_debug_on():
    result = check_deploy(production_environment(DEBUG="true"))

    assert result.returncode == 1
    assert "(security.W018) You should not have DEBUG set to True" in result.stderr
