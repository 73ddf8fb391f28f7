"""A real Celery worker for a benchmark: started on the benchmark's database and Redis, and
stopped by the benchmark that started it (never anyone else's)."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_worker(concurrency: int, *, name: str | None = None) -> subprocess.Popen:
    """Starts `celery worker` with `concurrency` processes, after purging what earlier runs left
    queued, and returns once it answers a ping (exits the benchmark if it never does)."""
    from django.conf import settings
    from django.db import connection

    from kcc_portal.celery import app

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "LOG_LEVEL": "WARNING",
    }
    app.control.purge()
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "--quiet", "-A", "kcc_portal", "worker"),
            *("--loglevel=WARNING", f"--concurrency={concurrency}"),
            *("--without-gossip", "--without-mingle"),
            *((f"--hostname={name}@%h",) if name else ()),
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if time.monotonic() > deadline or worker.poll() is not None:
            sys.exit("The Celery worker did not start")
    return worker
