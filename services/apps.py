from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "services"
    verbose_name = "Service catalogue"

    def ready(self):
        from services.districts import ensure_districts

        post_migrate.connect(ensure_districts, sender=self, dispatch_uid="services.districts")
        from services import receivers  # noqa: F401 - connects them
