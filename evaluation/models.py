"""Criteria frameworks and the machine's assessments of business cases.

A framework is versioned: once it has scored a case it is frozen, and changing it means making a
new version (evaluation/frameworks.py). An assessment is the machine's alone: one per case and
framework version, never edited, never mixed with officers' scores.
"""

import uuid

from django.db import models

from bids.models import Outcome


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
    # The total in tenths under every weighting the sensitivity analysis tried (base, changes,
    # samples: evaluation.sensitivity.Totals). Ranking the next bid on the service reads these
    # instead of scoring this one again; a column of its own, so that reading them does not
    # read `sensitivity`, which holds a ranking that grows with the service's bids.
    totals = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "framework"], name="one_assessment_per_case_and_framework"
            )
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="assessment_created_idx"),
            # The case lists' "latest assessment" subquery.
            models.Index(fields=["case", "-created_at", "-id"], name="assessment_case_latest_idx"),
        ]

    def __str__(self):
        return f"{self.case}: {self.recommendation} ({self.total})"

    @property
    def disqualified(self) -> bool:
        return bool(self.failed_thresholds)


# --- Officers' judgement: screening, reviewers and their declarations, reviews, moderation and the
# decision. The machine's Assessment above is never changed by any of these, nor blended in.


class Ground(models.TextChoices):
    """The grounds on which an expression of interest may be rejected (SI 2012/1647, Schedule)."""

    NON_COMPLIANT = "non_compliant", "It does not comply with the Act or the regulations"
    INADEQUATE = "inadequate", "Information in it is materially inadequate or inaccurate"
    UNSUITABLE = (
        "unsuitable",
        ("The body, a member of the consortium or a sub-contractor is not suitable"),
    )
    STOPPING = "stopping", "The council has decided in writing to stop providing the service"
    NHS_INTEGRATED = (
        "nhs_integrated",
        ("The service is integrated with the NHS and that integration is critical to its users"),
    )
    PROCURING = "procuring", "The service is already being procured"
    NEGOTIATING = (
        "negotiating",
        ("The council is negotiating in writing with a third party to provide the service"),
    )
    EMPLOYEE_LED = (
        "employee_led",
        ("The council has already published its intention to consider an employee-led body"),
    )
    VEXATIOUS = "vexatious", "It is frivolous or vexatious"
    UNLAWFUL = (
        "unlawful",
        ("Accepting it would be likely to break the law or a statutory duty of the council"),
    )


class Route(models.TextChoices):
    KENT = "kent", "Kent's right to bid (open to any body)"
    CHALLENGE = "challenge", "Community Right to Challenge (relevant bodies only)"


class Screening(models.Model):
    """One screening of a submitted case: the checklist, who did it and what followed. A case
    sent back for clarification is screened again, so a case may have several; the latest counts."""

    class Outcome(models.TextChoices):
        PASS = "pass", "Pass to review"
        CLARIFY = "clarify", "Ask the bidder a clarification question"
        REJECT = "reject", "Reject on a statutory ground"

    case = models.ForeignKey(
        "bids.BusinessCase", on_delete=models.CASCADE, related_name="screenings"
    )
    route = models.CharField(max_length=16, choices=Route.choices)
    body_eligible = models.BooleanField("the body is eligible for the route it chose")
    service_not_excluded = models.BooleanField("the service is not excluded from challenge")
    window_was_open = models.BooleanField("the bid window was open when it was submitted")
    finances_present = models.BooleanField(
        "the finances of the bidder, each consortium member and sub-contractor are given"
    )
    outcomes_present = models.BooleanField("the outcomes for service users are given")
    wellbeing_present = models.BooleanField(
        "how it promotes social, economic and environmental well-being is given"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    ground = models.CharField(max_length=16, choices=Ground.choices, blank=True)
    reasons = models.TextField(blank=True)
    screened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(auto_now_add=True)

    CHECKS = (
        "body_eligible",
        "service_not_excluded",
        "window_was_open",
        "finances_present",
        "outcomes_present",
        "wellbeing_present",
    )

    class Meta:
        ordering = ["-screened_at", "-pk"]

    def __str__(self):
        return f"Screening of {self.case}: {self.get_outcome_display()}"

    @property
    def all_checks_pass(self) -> bool:
        return all(getattr(self, name) for name in self.CHECKS)


class Assignment(models.Model):
    """A reviewer asked to review a case, and their declaration of interests. Until they have
    declared, they see nothing of the case but its reference and service; a declared interest
    recuses them."""

    case = models.ForeignKey(
        "bids.BusinessCase", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    # None until declared; True recuses the reviewer.
    has_interest = models.BooleanField(null=True, blank=True)
    interest = models.TextField("interest declared", blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="one_assignment_per_reviewer")
        ]
        indexes = [
            models.Index(fields=["assigned_at", "id"], name="assignment_assigned_idx"),
            models.Index(fields=["reviewer", "assigned_at", "id"], name="assignment_reviewer_idx"),
        ]

    def __str__(self):
        return f"{self.reviewer} on {self.case}"

    @property
    def declared(self) -> bool:
        return self.has_interest is not None

    @property
    def recused(self) -> bool:
        return self.has_interest is True

    @property
    def cleared(self) -> bool:
        """Declared no interest: may read and review the case."""
        return self.has_interest is False


class Review(models.Model):
    """A reviewer's scores for a case, one per criterion of the framework it was assessed on.
    Saved as a draft until submitted; a submitted review is not changed."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Review by {self.assignment.reviewer} of {self.assignment.case}"


class CriterionScore(models.Model):
    """An officer's score for one criterion, 0-5, or none yet (a draft)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=5),
                name="%(class)s_on_scale",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ReviewScore(CriterionScore):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    comment = models.TextField(blank=True)

    class Meta(CriterionScore.Meta):
        constraints = [
            *CriterionScore.Meta.constraints,
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
        ]


class Consensus(models.Model):
    """The moderator's agreed score per criterion, after reading every review."""

    case = models.OneToOneField(
        "bids.BusinessCase", on_delete=models.CASCADE, related_name="consensus"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    moderator = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    recommendation = models.CharField(max_length=4, choices=Recommendation.choices, blank=True)
    # The consensus read by the machine's rules (evaluation.scoring.read_scores), in sentences.
    reasons = models.JSONField(default=list, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "consensus scores"

    def __str__(self):
        return f"Consensus on {self.case}"


class ConsensusScore(CriterionScore):
    consensus = models.ForeignKey(Consensus, on_delete=models.CASCADE, related_name="scores")
    reason = models.TextField(blank=True)

    class Meta(CriterionScore.Meta):
        constraints = [
            *CriterionScore.Meta.constraints,
            models.UniqueConstraint(
                fields=["consensus", "criterion"], name="one_consensus_score_per_criterion"
            ),
        ]


class Decision(models.Model):
    """What the council decided, why, and when it was published. The bidder reads the outcome,
    the reasons and the ground (where rejected); never the machine's score."""

    Outcome = Outcome  # bids.models.Outcome: the case carries it too

    case = models.OneToOneField(
        "bids.BusinessCase", on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    ground = models.CharField(max_length=16, choices=Ground.choices, blank=True)
    modification = models.TextField("modification agreed with the bidder", blank=True)
    reasons = models.TextField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The officer's agreement, when publishing, to the bidder's request (in their declarations)
    # that the public register and open data withhold their name (opendata/published.py).
    bidder_name_withheld = models.BooleanField(
        "bidder's name withheld from the public register",
        default=False,
        help_text="Agreed when publishing, at the bidder's request.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="rejected") | ~models.Q(ground=""),
                name="a_rejection_names_its_ground",
            ),
        ]
        # The members' area lists decided cases, newest decision first.
        # (decided_at, case): the members' order, newest decision then the case's id.
        indexes = [models.Index(fields=["-decided_at", "-case"], name="decision_decided_idx")]

    def __str__(self):
        return f"{self.case}: {self.get_outcome_display()}"


def pack_path(instance, filename):
    # Random names, like documents: nothing about a pack can be guessed from its storage path.
    return f"packs/{instance.case.public_id}/{uuid.uuid4().hex}.pdf"


class DecisionPack(models.Model):
    """One rendering of a case's decision pack (evaluation/packs/): versions are kept, each with
    its SHA-256 and the engine that made it, so a pack can be shown not to have been altered."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    case = models.ForeignKey("bids.BusinessCase", on_delete=models.CASCADE, related_name="packs")
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    file = models.FileField(upload_to=pack_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    engine = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="one_pack_per_version")
        ]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self):
        return f"Decision pack {self.case.reference} v{self.version} ({self.get_state_display()})"
