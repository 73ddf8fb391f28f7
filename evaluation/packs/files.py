"""Where a pack's PDF is kept, and the one response that sends it to whoever may read it.

Like supporting documents, packs live under MEDIA_ROOT with random names (DecisionPack.file's
upload_to) and are never served from MEDIA_URL: the officers' admin and the members' area each
check who is asking, then call `pack_response`.
"""

import hashlib

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404

from evaluation.models import DecisionPack


def store(pack: DecisionPack, data: bytes) -> str:
    """Saves the PDF under a new random name and returns that name (the row is not saved: the
    caller records it with a guarded update)."""
    field = pack.file
    return field.storage.save(field.field.generate_filename(pack, "pack.pdf"), ContentFile(data))


def discard(name: str) -> None:
    DecisionPack._meta.get_field("file").storage.delete(name)


def filename(pack: DecisionPack) -> str:
    """RTB-2026-0001-decision-pack-v2.pdf: the reference is the portal's own, so it is safe in a
    header; anything else is dropped."""
    reference = "".join(ch for ch in (pack.case.reference or "case") if ch.isalnum() or ch == "-")
    return f"{reference}-decision-pack-v{pack.version}.pdf"


def intact(pack: DecisionPack) -> bool:
    """Whether the stored file still has the SHA-256 recorded when it was rendered."""
    if not pack.file or not pack.sha256:
        return False
    digest = hashlib.sha256()
    with pack.file.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest() == pack.sha256


def pack_response(pack: DecisionPack) -> FileResponse:
    """The ready pack as a PDF attachment, never cached (who may read it is decided on every
    request). A pack that is not ready, or whose file is gone, is not found."""
    if pack.state != DecisionPack.State.READY or not pack.file:
        raise Http404("This decision pack is not ready")
    if not pack.file.storage.exists(pack.file.name):
        raise Http404("The decision pack's file is missing")
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=filename(pack),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def remove_for_retention(*, case_id: int, at) -> int:
    """Deletes the files of a case's packs whose personal data has been removed, and marks each
    pack as no longer available, saying why; returns how many files were deleted."""
    from django.db import transaction
    from django.utils import timezone

    State = DecisionPack.State
    reason = (
        f"Removed under the retention policy on {timezone.localdate(at):%-d %B %Y}: the case's "
        "personal data was deleted. The SHA-256 stays as evidence of what was issued."
    )
    with transaction.atomic():
        packs = list(DecisionPack.objects.select_for_update().filter(case_id=case_id))
        names = [pack.file.name for pack in packs if pack.file]
        DecisionPack.objects.filter(pk__in=[p.pk for p in packs]).update(
            file="", state=State.FAILED, progress=0, error=reason
        )
        transaction.on_commit(lambda: [discard(name) for name in names])
    return len(names)
