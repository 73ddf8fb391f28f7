"""The Celery application: scoring business cases and rendering decision packs off the web request.

Reliability settings, each with the reason it is set. A business case must never be left unscored
because a worker died or the broker blinked; running a task twice must be harmless (every task is
idempotent), so we prefer "at least once" to "at most once".
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcc_portal.settings")

app = Celery("kcc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Longest a task may run. Scoring takes milliseconds and a decision pack about a second; anything
# near these limits is stuck, and a stuck task must not hold a worker slot for ever.
TASK_SOFT_TIME_LIMIT = 120
TASK_TIME_LIMIT = 180

app.conf.update(
    # Acknowledge a message only after the task has finished, so a worker killed mid-task
    # (OOM, deploy, power) leaves the message on the queue for another worker to run.
    task_acks_late=True,
    # ...and when the worker process is lost (SIGKILL) put the message back rather than
    # acknowledging it as failed.
    task_reject_on_worker_lost=True,
    # Take one message at a time: with late acks, a prefetched backlog would sit unacknowledged
    # in one worker while others stand idle.
    worker_prefetch_multiplier=1,
    # Redis re-delivers an unacknowledged message after the visibility timeout. It must be
    # longer than any task can run (TASK_TIME_LIMIT), or a slow task would run twice at once.
    broker_transport_options={"visibility_timeout": 60 * 60},
    result_backend_transport_options={"visibility_timeout": 60 * 60},
    task_soft_time_limit=TASK_SOFT_TIME_LIMIT,
    task_time_limit=TASK_TIME_LIMIT,
    # Keep trying to reach the broker when a worker starts before Redis does.
    broker_connection_retry_on_startup=True,
    # Publishing from a web request must not hang the page when Redis is down: give up quickly;
    # the beat sweep re-queues whatever was saved but never queued.
    task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
    broker_connection_timeout=3,
    # Results are only read by tests and the health check; do not keep them for long.
    result_expires=60 * 60,
    task_track_started=True,
    worker_send_task_events=True,
    timezone="Europe/London",
)
app.autodiscover_tasks()
# The beat schedule is CELERY_BEAT_SCHEDULE in settings.py.


@app.task(name="kcc_portal.ping")
def ping() -> str:
    """Answers "pong": the smallest real task, used by the health check and the benchmarks."""
    return "pong"
