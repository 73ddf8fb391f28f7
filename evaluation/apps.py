from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "Evaluation"

    def ready(self):
        from evaluation import receivers  # noqa: F401 - connects the signal receivers
        from evaluation.frameworks import ensure_default

        post_migrate.connect(ensure_default, sender=self, dispatch_uid="evaluation.framework")
