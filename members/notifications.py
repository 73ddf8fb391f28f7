"""Emailing members when a decision pack for one of their districts is ready.

evaluation sends `pack_ready` when a pack finishes rendering (evaluation/signals.py); the
receiver here emails every member who asked to hear about the case's districts.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from accounts.roles import MEMBERS_AREA_ROLES
from bids import workflow
from evaluation.models import DecisionPack
from evaluation.signals import pack_ready as pack_ready_signal

log = logging.getLogger(__name__)


def recipients(pack: DecisionPack) -> list[str]:
    """The addresses of active users of the members' area who asked to be emailed and follow a
    district of the case's service; for a county-wide service, any district."""
    service = pack.case.service
    people = User.objects.filter(
        is_active=True,
        member_preference__email_when_ready=True,
        member_preference__districts__isnull=False,
    ).filter(Q(groups__name__in=MEMBERS_AREA_ROLES) | Q(is_superuser=True))
    if not service.county_wide:
        people = people.filter(member_preference__districts__services=service)
    return sorted(set(people.values_list("email", flat=True)))


def pack_ready(pack_id: int) -> int:
    """Emails each member who follows one of the case's districts a link to the case's summary
    page, one message each (so that no one sees the others' addresses). Returns how many were
    sent. Does nothing for a pack that is gone, not ready, or of a case not decided."""
    pack = (
        DecisionPack.objects.select_related("case__service")
        .filter(
            pk=pack_id,
            state=DecisionPack.State.READY,
            case__status__in=workflow.DECIDED,
        )
        .first()
    )
    if pack is None:
        return 0
    case = pack.case
    url = settings.SITE_URL + reverse("members:case", kwargs={"public_id": case.public_id})
    subject = f"Decision pack ready: {case.reference}, {case.service.name}"
    body = render_to_string(
        "members/email/pack_ready.txt",
        {"case": case, "pack": pack, "url": url, "site_name": settings.SERVICE_NAME},
    )
    messages = [EmailMessage(subject, body, to=[address]) for address in recipients(pack)]
    if not messages:
        return 0
    return get_connection(fail_silently=True).send_messages(messages) or 0


@receiver(pack_ready_signal, dispatch_uid="members.email_pack_ready")
def email_pack_ready(sender, pack_id, **kwargs):
    try:
        pack_ready(pack_id)
    except Exception:
        # The pack is ready whatever happens here: an email that cannot be sent must not turn a
        # finished render into a failed one. Members still find the pack in the members' area.
        log.exception("could not email members that pack %s is ready", pack_id)
