"""The embedded default (SQLite) holds when several requests write at once."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def contend(tmp_path, *flags) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kcc_portal.tests.sqlite_contention",
            tmp_path / "db.sqlite3",
            *flags,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_concurrent_sign_ins_and_writes_never_find_the_database_locked(tmp_path):
    report = contend(tmp_path)
    assert report["errors"] == 0, report["first_error"]
    assert set(report["statuses"]) <= {"200", "302"}, report
    assert report["journal_mode"] == "wal"


def test_the_same_load_finds_it_locked_with_djangos_sqlite_defaults(tmp_path):
    """What the settings prevent (so the test above can fail): deferred transactions that read
    and then write cannot wait for another writer, and fail at once."""
    report = contend(tmp_path, "--django-defaults")
    assert report["errors"] > 0
    assert report["first_error"] == "database is locked"
