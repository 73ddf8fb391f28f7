"""Putting a member's download of a decision pack on the case's timeline. The file itself goes
through the packs' one response (evaluation.packs.files.pack_response), as in the officers'
admin."""

from bids.models import Event
from evaluation.models import DecisionPack


def record_download(*, pack: DecisionPack, by) -> Event:
    """Puts the download on the case's timeline (officers' only: see Event.BIDDER_SEES), with
    the version and checksum, so the council can say who read which pack."""
    return Event.objects.create(
        case_id=pack.case_id,
        kind=Event.Kind.PACK_DOWNLOADED,
        actor=by,
        note=f"Version {pack.version} (SHA-256 {pack.sha256})",
    )
