from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = "Members' area"

    def ready(self):
        from members import notifications  # noqa: F401 - connects the pack_ready receiver
