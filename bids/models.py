"""Business cases, their documents, their history and the questions officers ask about them.

A draft's answers are kept exactly as typed, section by section, in `BusinessCase.answers`, so
that nothing a bidder enters is lost to a failed validation, an autosave or a session timeout:
`bids/sections.py` turns them into validated figures when they are needed. Every change of status
goes through `bids/workflow.py`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SCREENING = "screening", "Screening"
    UNDER_REVIEW = "under_review", "Under review"
    MODERATION = "moderation", "Moderation"
    DECIDED = "decided", "Decided"
    PUBLISHED = "published", "Decision published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Outcome(models.TextChoices):
    """What was decided on a case (evaluation.models.Decision holds the reasons and, for a
    rejection, the statutory ground)."""

    ACCEPTED = "accepted", "Accepted: proceed to a full business case"
    ACCEPTED_WITH_MODIFICATION = (
        "accepted_with_modification",
        ("Accepted with a modification agreed with the bidder"),
    )
    REJECTED = "rejected", "Rejected on a statutory ground"


class BusinessCaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cases a bidder may see: those of their own organisation. Anyone else: none."""
        if not user.is_authenticated or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class BusinessCase(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=16, unique=True, null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="business_cases"
    )
    service = models.ForeignKey(
        "services.Service", on_delete=models.PROTECT, related_name="business_cases"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # {section key: {field name: [values as typed]}}: what the bidder last entered in each section.
    answers = models.JSONField(default=dict, blank=True)
    # The answers as submitted, validated and typed, with the questions' wording (bids/record.py):
    # what scoring, officers and the decision pack read. Empty until submitted.
    record = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the automatic assessment finished: the bidder sees "being assessed" until then.
    assessed_at = models.DateTimeField(null=True, blank=True)
    # When it last changed status (bids.workflow): "days in status" on the officers' list.
    status_changed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set once a case is decided.
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    # When the case was withdrawn or decided (bids.workflow.move): the retention period of its
    # personal data runs from here (bids/retention.py).
    closed_at = models.DateTimeField(null=True, blank=True)
    # When its personal data was removed under the retention policy; the record itself stays.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Reviewers of a blind case see no organisation or people's names (evaluation.review.access).
    blind_review = models.BooleanField(
        default=True, help_text="Reviewers see no organisation or people's names."
    )

    objects = BusinessCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "business case"
        # What the lists sort and filter by (the admin adds "-pk" to the ordering). PostgreSQL
        # also has trigram indexes for the admin's search (migration 0007).
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="case_updated_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="case_status_updated_idx"),
            models.Index(
                fields=["organisation", "-updated_at", "-id"], name="case_organisation_updated_idx"
            ),
            models.Index(fields=["submitted_at"], name="case_submitted_idx"),
        ]

    def __str__(self):
        return f"{self.reference or 'Draft'}: {self.title}"

    def get_absolute_url(self):
        return reverse("bids:detail", kwargs={"public_id": self.public_id})

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class Event(models.Model):
    """One line of a case's timeline: what happened, when, and who did it."""

    class Kind(models.TextChoices):
        CREATED = "created", "Business case started"
        SUBMITTED = "submitted", "Business case submitted"
        ASSESSED = "assessed", "Automatic assessment finished"
        MOVED = "moved", "Status changed"
        WITHDRAWN = "withdrawn", "Business case withdrawn"
        QUESTION_ASKED = "question_asked", "Clarification asked"
        QUESTION_ANSWERED = "question_answered", "Clarification answered"
        DOCUMENT_ADDED = "document_added", "Document uploaded"
        DOCUMENT_REMOVED = "document_removed", "Document removed"
        # Officers' work, on the officers' timeline only (see BIDDER_SEES).
        VIEWED = "viewed", "Case opened by an officer"
        SCREENED = "screened", "Screened"
        ASSIGNED = "assigned", "Reviewer assigned"
        DECLARED = "declared", "Reviewer declared interests"
        REVIEWED = "reviewed", "Review submitted"
        MODERATED = "moderated", "Consensus recorded"
        # An elected member's download from the members' area (members/): on the officers'
        # timeline only, so that the council can say who has read a pack.
        PACK_DOWNLOADED = "pack_downloaded", "Decision pack downloaded"

    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    # What the bidder's own timeline shows: their doings, questions, and the case's status. Who
    # reviews a case, their declarations and scores are the officers' record alone.
    BIDDER_SEES = frozenset(
        {
            Kind.CREATED,
            Kind.SUBMITTED,
            Kind.ASSESSED,
            Kind.MOVED,
            Kind.WITHDRAWN,
            Kind.QUESTION_ASKED,
            Kind.QUESTION_ANSWERED,
            Kind.DOCUMENT_ADDED,
            Kind.DOCUMENT_REMOVED,
        }
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at", "id"], name="event_case_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%d %b %Y %H:%M})"


def document_path(instance, filename):
    # Random names: nothing about a document can be guessed from its storage path.
    return f"cases/{instance.case.public_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path)
    name = models.CharField("file name", max_length=255)
    kind = models.CharField(max_length=8)  # pdf, docx, xlsx, odt, ods: from the content
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["case", "uploaded_at", "id"], name="document_case_at_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "bids:document",
            kwargs={"public_id": self.case.public_id, "document_id": self.public_id},
        )


class Clarification(models.Model):
    """A question an officer asks about a submitted case, and the bidder's answer: on the record."""

    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        indexes = [
            models.Index(fields=["asked_at", "id"], name="clarification_asked_idx"),
            models.Index(fields=["case", "asked_at", "id"], name="clarification_case_at_idx"),
        ]

    def __str__(self):
        return self.question[:60]


class ReferenceSequence(models.Model):
    """The last reference number given in a year: RTB-2026-0042 is the 42nd case of 2026."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
