"""Criteria frameworks and the machine's assessments of business cases.

A framework is versioned: once it has scored a case it is frozen, and changing it means making a
new version (evaluation/frameworks.py). An assessment is the machine's alone: one per case and
framework version, never edited, never mixed with officers' scores.
"""

from django.db import models


class Group(models.TextChoices):
    MAKE_BUY_SELL = "make_buy_sell", "Make, buy or sell"
    PUBLIC_VALUE = "public_value", "Public value"


class Recommendation(models.TextChoices):
    MAKE = "MAKE", "Make: keep the service in-house"
    BUY = "BUY", "Buy: commission this bidder"
    SELL = "SELL", "Sell: KCC should trade the service"


class FrozenFrameworkError(Exception):
    """A framework that has scored a case cannot change: make a new version instead."""


class FrameworkQuerySet(models.QuerySet):
    def current(self):
        """The framework new business cases are scored against."""
        return self.filter(is_current=True).order_by("-version").first()


class Framework(models.Model):
    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    is_current = models.BooleanField(
        default=False, help_text="New business cases are scored against the current version."
    )
    frozen_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the framework first scores a case."
    )
    notes = models.TextField(blank=True, help_text="What changed in this version, and why.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="framework_version_unique"),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_framework",
            ),
        ]

    def __str__(self):
        return f"{self.name}, version {self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(
        max_length=50, help_text="Names its scoring rule (evaluation/scoring/rules.py)."
    )
    title = models.CharField(max_length=200)
    group = models.CharField(max_length=20, choices=Group.choices)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    threshold = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="A score below this (0-5) disqualifies the bid. Leave empty for none.",
    )
    how_assessed = models.TextField("how it is assessed")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="criterion_key_unique"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_pos"),
            models.CheckConstraint(
                condition=models.Q(threshold__isnull=True) | models.Q(threshold__lte=5),
                name="criterion_threshold_on_scale",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The one rule a model keeps itself: history must not change under an assessment.
        if Framework.objects.filter(pk=self.framework_id, frozen_at__isnull=False).exists():
            raise FrozenFrameworkError(
                f"{self.framework} has scored business cases: make a new version to change it."
            )
        super().save(*args, **kwargs)


class Assessment(models.Model):
    """The machine's assessment of one business case against one framework version."""

    case = models.ForeignKey(
        "bids.BusinessCase", on_delete=models.CASCADE, related_name="assessments"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    engine_version = models.CharField(max_length=16)
    # [{key, title, group, score, weight, weighted, threshold, passed, rule, figures}, ...]
    scores = models.JSONField()
    total = models.DecimalField(max_digits=5, decimal_places=1)  # 0-100
    recommendation = models.CharField(max_length=4, choices=Recommendation.choices)
    reasons = models.JSONField(default=list)
    failed_thresholds = models.JSONField(default=list)
    whole_life = models.JSONField(default=dict)
    sensitivity = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "framework"], name="one_assessment_per_case_and_framework"
            )
        ]

    def __str__(self):
        return f"{self.case}: {self.recommendation} ({self.total})"

    @property
    def disqualified(self) -> bool:
        return bool(self.failed_thresholds)
