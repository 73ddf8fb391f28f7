"""Decided cases with their decision, the machine's assessment and ready decision packs, made
directly (not through the officers' workflow) so that tests can make many quickly."""

import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from bids.factories import BusinessCaseFactory
from bids.models import Outcome, Status
from bids.tests.files import pdf_bytes
from evaluation.models import Assessment, Decision, DecisionPack, Framework, Recommendation


def pack_bytes(version: int) -> bytes:
    """A small real PDF, different for each version (so is its checksum)."""
    return pdf_bytes() + f"% decision pack version {version}\n".encode()


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision; `decided_at` (otherwise now) may be given, although the field sets itself."""

    class Meta:
        model = Decision

    case = None  # given by DecidedCaseFactory
    outcome = factory.SelfAttribute("case.outcome")
    ground = factory.LazyAttribute(lambda o: "inadequate" if o.outcome == Outcome.REJECTED else "")
    reasons = "The case saves money and keeps every centre open."
    decided_by = factory.SubFactory(UserFactory, role=Role.COMMISSIONING_OFFICER)

    @classmethod
    def _create(cls, model_class, *args, decided_at=None, **kwargs):
        decision = super()._create(model_class, *args, **kwargs)
        if decided_at is not None:
            Decision.objects.filter(pk=decision.pk).update(decided_at=decided_at)
            decision.decided_at = decided_at
        return decision


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    case = None
    framework = factory.LazyFunction(lambda: Framework.objects.current())
    engine_version = "test"
    scores = factory.LazyFunction(list)
    total = "72.5"
    recommendation = Recommendation.BUY


class DecidedCaseFactory(BusinessCaseFactory):
    """A complete case with a decision (`decision__decided_at`, `decision__outcome`...) and the
    machine's assessment (`assessment__recommendation`, `assessment__total`)."""

    class Meta:
        skip_postgeneration_save = True

    status = Status.DECIDED
    reference = factory.Sequence(lambda n: f"RTB-2025-{n + 1:04d}")
    outcome = Outcome.ACCEPTED
    answers = factory.LazyFunction(dict)
    decision = factory.RelatedFactory(DecisionFactory, factory_related_name="case")
    assessment = factory.RelatedFactory(AssessmentFactory, factory_related_name="case")


class DecisionPackFactory(factory.django.DjangoModelFactory):
    """A ready pack with a real (tiny) PDF stored in MEDIA_ROOT and its SHA-256."""

    class Meta:
        model = DecisionPack

    case = factory.SubFactory(DecidedCaseFactory)
    version = 1
    state = DecisionPack.State.READY
    file = factory.LazyAttribute(
        lambda o: (
            ContentFile(pack_bytes(o.version), name="pack.pdf")
            if o.state == DecisionPack.State.READY
            else ""
        )
    )
    sha256 = factory.LazyAttribute(
        lambda o: (
            hashlib.sha256(pack_bytes(o.version)).hexdigest()
            if o.state == DecisionPack.State.READY
            else ""
        )
    )
    size = factory.LazyAttribute(
        lambda o: len(pack_bytes(o.version)) if o.state == DecisionPack.State.READY else None
    )
    pages = 1
    engine = "test"
    finished_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == DecisionPack.State.READY else None
    )
