"""Sending a decision pack to a member, and putting the download on the case's timeline.

(The packs' own response function, in evaluation, will replace pack_response once it exists: the
headers are meant to be the same.)
"""

from django.http import FileResponse, Http404

from bids.models import Event
from evaluation.models import DecisionPack


def filename(pack: DecisionPack) -> str:
    """A name that says what the file is and is safe anywhere: the reference is RTB-YYYY-NNNN."""
    reference = "".join(c for c in (pack.case.reference or "case") if c.isalnum() or c == "-")
    return f"{reference}-decision-pack-v{pack.version}.pdf"


def pack_response(pack: DecisionPack) -> FileResponse:
    """The pack as a PDF attachment; never cached, since who may read it is decided on every
    request. A pack whose file has gone missing is not found."""
    if not pack.file or not pack.file.storage.exists(pack.file.name):
        raise Http404("The decision pack's file is missing")
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=filename(pack),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def record_download(*, pack: DecisionPack, by) -> Event:
    """Puts the download on the case's timeline (officers' only: see Event.BIDDER_SEES), with
    the version and checksum, so the council can say who read which pack."""
    return Event.objects.create(
        case_id=pack.case_id,
        kind=Event.Kind.PACK_DOWNLOADED,
        actor=by,
        note=f"Version {pack.version} (SHA-256 {pack.sha256})",
    )
