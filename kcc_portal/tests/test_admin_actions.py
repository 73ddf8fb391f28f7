"""Every action in the admin declares the permission it needs, including other packages'."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_action_declares_its_permissions():
    """An action without allowed_permissions runs for anyone who can view the list."""
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or []:
            function = getattr(model_admin, action) if isinstance(action, str) else action
            if function is admin.actions.delete_selected:
                continue  # Django's own: declares ("delete",)
            assert getattr(function, "allowed_permissions", None), (model, action)


def test_someone_who_may_only_view_scheduled_tasks_cannot_disable_them(client):
    every_minute = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.create(name="sweep", task="x", interval=every_minute)
    viewer = UserFactory(role=None, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_periodictask"))
    client.force_login(viewer)
    changelist = reverse("admin:django_celery_beat_periodictask_changelist")
    assert 'value="disable_tasks"' not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "disable_tasks", "_selected_action": [task.pk]})
    assert PeriodicTask.objects.get(pk=task.pk).enabled


def test_the_admin_sign_in_page_has_a_main_heading(client):
    """axe's page-has-heading-one: Django's own login page has none."""
    html = client.get(reverse("admin:login")).content.decode()
    assert "<h1>Sign in to the officers' area</h1>" in html
