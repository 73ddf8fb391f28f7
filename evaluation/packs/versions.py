"""Asking for a new version of a case's decision pack, and the states of its render.

    queued ──claim──► rendering ──► ready
       ▲                  │
       └──── retry ─── failed        (a stuck render is put back to queued by the sweep)

Every move is a conditional update ("if 0 rows moved, someone else got there first"), so a
redelivered task, a sweep racing a worker or two officers clicking at once do no harm: one render
wins, and a render that lost its claim throws its file away. Version numbers are given under a
lock on the case's row, with the unique constraint (case, version) behind it.

Who may ask for a render: commissioning officers and administrators (`may_render`). bids knows
nothing of packs, so this rule lives here rather than in bids.workflow's tables. Who may read a
pack: officers who read every case (`may_read`); not reviewers, since a pack names the bidder and
a reviewer may be reviewing blind.
"""

import hashlib
import logging

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from accounts.roles import Role
from bids import workflow
from bids.models import BusinessCase
from evaluation.models import DecisionPack
from evaluation.packs import content, files, render
from evaluation.review import access
from evaluation.signals import pack_ready

log = logging.getLogger(__name__)

State = DecisionPack.State
RENDERERS = frozenset({Role.COMMISSIONING_OFFICER, Role.ADMIN})
# A pack records a submitted case: not a draft (no record), not a withdrawn one.
RENDERABLE = workflow.ASSESSABLE

# Progress, per cent, as a render passes each stage.
CLAIMED, GATHERED, LAID_OUT, WRITTEN = 5, 25, 85, 100


class PackError(Exception):
    """Why a pack cannot be asked for, in words for the officer."""


NOT_YOURS = "Only a commissioning officer or an administrator can render decision packs."


def may_render(user) -> bool:
    return bool(workflow.officer_roles(user) & RENDERERS)


def may_read(user) -> bool:
    return access.reads_every_case(user)


def request(*, case: BusinessCase, by=None) -> DecisionPack:
    """Queues a new version of the case's pack (rendered by a worker once committed). `by` is
    the officer asking, or None when the portal asks (a decision recorded, the sweep)."""
    if by is not None and not may_render(by):
        raise PackError(NOT_YOURS)
    if case.status not in RENDERABLE:
        raise PackError(
            f"{case.reference or 'A draft'} is {case.get_status_display().lower()}: only a "
            "submitted business case has a decision pack."
        )
    for attempt in range(3):
        try:
            with transaction.atomic():
                # The case's row is the lock that orders version numbers.
                BusinessCase.objects.select_for_update().filter(pk=case.pk).first()
                last = DecisionPack.objects.filter(case=case).aggregate(n=Max("version"))["n"]
                pack = DecisionPack.objects.create(
                    case=case, version=(last or 0) + 1, requested_by=by
                )
            break
        except IntegrityError:
            if attempt == 2:
                raise
    pack_id = pack.pk
    transaction.on_commit(lambda: queue(pack_id))
    return pack


def retry(*, pack: DecisionPack, by) -> DecisionPack:
    """Queues a failed render again, as the same version."""
    if not may_render(by):
        raise PackError(NOT_YOURS)
    with transaction.atomic():
        moved = DecisionPack.objects.filter(pk=pack.pk, state=State.FAILED).update(
            state=State.QUEUED, progress=0, error="", started_at=None, finished_at=None
        )
        if moved != 1:
            raise PackError(f"Version {pack.version} has not failed, so there is nothing to retry.")
        pack_id = pack.pk
        transaction.on_commit(lambda: queue(pack_id))
    pack.refresh_from_db()
    return pack


def queue(pack_id: int) -> None:
    """Sends the render to a worker. A broker that is down loses nothing: the pack stays queued
    and the beat sweep (evaluation.sweeps.queue_stale_packs) sends it again."""
    from evaluation.tasks import render_pack

    try:
        render_pack.delay(pack_id)
    except BrokerError as exc:
        log.warning("could not queue decision pack %s (%s): the sweep will", pack_id, exc)
    except Exception:
        # Only reachable with tasks run in-process (the embedded default): the decision stands,
        # and the pack, if it did not finish, is left for the sweep.
        log.exception("rendering decision pack %s failed: the sweep will try again", pack_id)


# --- A render ------------------------------------------------------------------------------------


def claim(pack_id: int):
    """queued → rendering. Returns the claim's start time, or None if the pack is not queued
    (another worker has it, it is done, or it is gone)."""
    started = timezone.now()
    moved = DecisionPack.objects.filter(pk=pack_id, state=State.QUEUED).update(
        state=State.RENDERING, started_at=started, progress=CLAIMED, error=""
    )
    return started if moved == 1 else None


def _ours(pack_id: int, started):
    # The render this worker claimed: a sweep that gave the pack to another worker ends ours.
    return DecisionPack.objects.filter(pk=pack_id, state=State.RENDERING, started_at=started)


def _progress(pack_id: int, started, percent: int) -> None:
    _ours(pack_id, started).update(progress=percent)


def make(pack_id: int) -> DecisionPack | None:
    """Renders a queued pack: gathers its content, lays it out, writes the PDF and records its
    SHA-256, size, pages and engine. A failure is recorded on the pack with its reason (and can
    be retried); a database error puts the pack back to queued and is raised, for the task to
    retry. Returns the pack, or None when there was nothing to do."""
    started = claim(pack_id)
    if started is None:
        return None
    stored = None
    try:
        pack = DecisionPack.objects.select_related("case").get(pk=pack_id)
        gathered = content.gather(pack)
        _progress(pack_id, started, GATHERED)
        data, pages = render.pdf(render.html(gathered))
        _progress(pack_id, started, LAID_OUT)
        stored = files.store(pack, data)
        done = _ours(pack_id, started).update(
            state=State.READY,
            progress=WRITTEN,
            file=stored,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            pages=pages,
            engine=render.engine(),
            finished_at=timezone.now(),
        )
    except (OperationalError, InterfaceError):
        if stored:
            files.discard(stored)
        _ours(pack_id, started).update(state=State.QUEUED, progress=0, started_at=None)
        raise
    except Exception as exc:  # the soft time limit (SoftTimeLimitExceeded) included
        if stored:
            files.discard(stored)
        log.exception("decision pack %s failed", pack_id)
        _ours(pack_id, started).update(
            state=State.FAILED, error=failure_reason(exc), finished_at=timezone.now()
        )
        return DecisionPack.objects.get(pk=pack_id)
    if done != 1:
        files.discard(stored)  # the sweep gave this pack to another render meanwhile
        return None
    # Members who follow the service's districts hear of it (members/notifications.py).
    transaction.on_commit(lambda: pack_ready.send(sender=DecisionPack, pack_id=pack_id))
    return DecisionPack.objects.get(pk=pack_id)


def failure_reason(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return (
            "Rendering took longer than the time limit, so it was stopped. Try again; if it "
            "stops again, the pack is too large for the limit (PACK_RENDER_SOFT_TIME_LIMIT)."
        )
    detail = str(exc).strip() or type(exc).__name__
    return f"Rendering failed: {type(exc).__name__}: {detail[:500]}. Try again."
