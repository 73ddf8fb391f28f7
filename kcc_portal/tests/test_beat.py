"""Celery beat's schedule names tasks that exist: a typo there fails silently, every night."""

from importlib import import_module

import pytest
from celery.schedules import crontab
from django.conf import settings

from kcc_portal.celery import app


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_beat_entry_names_a_task_that_exists(name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    module, function = entry["task"].rsplit(".", 1)
    task = getattr(import_module(module), function)
    assert task.name == entry["task"]
    assert entry["task"] in app.tasks


def test_personal_data_is_purged_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert entry["task"] == "bids.tasks.purge_personal_data"
    assert entry["schedule"] == crontab(hour=2, minute=30)
