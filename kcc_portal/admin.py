"""Other packages' admins whose actions declare no `allowed_permissions`: without them an action
runs for anyone who can view the list. Here each is given the permission its effect needs."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from kcc_portal.admin_lists import ScaledAdmin, scaled


def with_permissions(admin_class, permissions: dict[str, tuple[str, ...]]):
    """A subclass of `admin_class` whose named actions require `permissions` (as the admin's
    `allowed_permissions`: "change" asks has_change_permission, and so on)."""
    attrs = {}
    for name, needed in permissions.items():
        original = getattr(admin_class, name)

        def action(self, request, queryset, _original=original):
            return _original(self, request, queryset)

        action.__name__ = name
        action.short_description = getattr(original, "short_description", name)
        action.allowed_permissions = needed
        attrs[name] = action
    return type(admin_class.__name__, (admin_class,), attrs)


# Enabling, disabling or running a scheduled task changes what the workers do.
admin.site.unregister(PeriodicTask)
admin.site.register(
    PeriodicTask,
    with_permissions(
        PeriodicTaskAdmin,
        {
            name: ("change",)
            for name in ("enable_tasks", "disable_tasks", "toggle_tasks", "run_tasks")
        },
    ),
)
# Clearing failed sign-in records lifts lockouts.
admin.site.unregister(AccessAttempt)
admin.site.register(
    AccessAttempt,
    with_permissions(AccessAttemptAdmin, {"cleanup_expired_attempts": ("delete",)}),
)

# Every other admin list holds at 100,000 rows too (kcc_portal/admin_lists.py): this app is last
# in INSTALLED_APPS, so every admin is registered by now.
for model, model_admin in list(admin.site._registry.items()):
    if not isinstance(model_admin, ScaledAdmin):
        admin.site.unregister(model)
        admin.site.register(model, scaled(type(model_admin)))
