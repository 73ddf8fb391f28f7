"""Supporting documents: what a file really is (from its content, never its name), and the limits.

Accepted: PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT) and spreadsheet (ODS). A file is
refused, with a message saying why, when it is empty, too large, would take the case over its total
allowance, is not one of those types by content, or is named as one type while being another.

The four office types are zip archives, and a small archive can unpack to something enormous (a
"zip bomb": 200 KB that unpacks to 200 MB, or far more) that would exhaust the memory or disk of
whoever opens it: an officer's computer, a virus scanner, a preview. So their content is unpacked
here, as far as the limits allow and no further (`check_archive`).
"""

import hashlib
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from bids.models import BusinessCase, Document, Event
from kcc_portal.text import strip_control_characters


def limits() -> dict[str, int]:
    """Upload limits from settings (read at call time, so tests and deployments can set them)."""
    return {
        "file": settings.BID_DOCUMENT_MAX_BYTES,
        "case": settings.BID_DOCUMENTS_MAX_BYTES_PER_CASE,
        "count": settings.BID_DOCUMENTS_MAX_PER_CASE,
        "unpacked": settings.BID_DOCUMENT_MAX_UNPACKED_BYTES,
        "entries": settings.BID_DOCUMENT_MAX_ENTRIES,
        "ratio": settings.BID_DOCUMENT_MAX_COMPRESSION_RATIO,
    }


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


KINDS = {
    k.key: k
    for k in [
        Kind("pdf", "PDF", (".pdf",), "application/pdf"),
        Kind(
            "docx",
            "Word document (DOCX)",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Kind(
            "xlsx",
            "Excel spreadsheet (XLSX)",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Kind(
            "odt", "OpenDocument text (ODT)", (".odt",), "application/vnd.oasis.opendocument.text"
        ),
        Kind(
            "ods",
            "OpenDocument spreadsheet (ODS)",
            (".ods",),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ]
}
ACCEPTED = "PDF, DOCX, XLSX, ODT or ODS"


class DocumentError(Exception):
    """Why a file was refused, in words for the person uploading it."""


def sniff(fileobj) -> str | None:
    """The kind of document the bytes are, or None. Reads the content only."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # OpenDocument: the first entry, stored uncompressed, names the type. Read no more
                # than a type's length: the entry could claim to be any size.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return {
                    KINDS["odt"].content_type: "odt",
                    KINDS["ods"].content_type: "ods",
                }.get(mimetype)
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
            return None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
        # RuntimeError: the entry is encrypted; NotImplementedError is a RuntimeError too (a
        # compression method zipfile does not know).
        return None
    finally:
        fileobj.seek(0)


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


# --- Office files are zip archives: unpack them, within limits ---------------------------------

ARCHIVE_KINDS = {"docx", "xlsx", "odt", "ods"}
# An entry must unpack to more than this before its compression ratio counts: small parts of
# real files (a style sheet, a row of empty cells) can compress very well, and cannot harm.
RATIO_GRACE_BYTES = 1024 * 1024
# Archives inside archives (a spreadsheet embedded in a Word document is one level) are unpacked
# too, and count towards the same limits; deeper than this, the file is refused.
MAX_NESTING = 3
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # the zip format's local file header
_SIGNATURES = (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"PK\x07\x08")
_DRIVE = re.compile(r"[A-Za-z]:")


class _Unpacked:
    """What the whole upload has unpacked to so far, nested archives included."""

    def __init__(self):
        self.bytes = 0
        self.entries = 0


def check_archive(fileobj, *, name: str) -> None:
    """Raises DocumentError if an office file (a zip archive) is unsafe to open: it unpacks to
    more than the limit, holds too many files, has a part packed far more tightly than real
    documents are, is password-protected, names a file outside itself ("../", "/etc/") or twice,
    or has archives nested too deep.

    The sizes an archive declares are checked first (cheap), but they can be forged, so every
    entry is then really unpacked, in chunks, counting the bytes that come out, and the check
    stops as soon as a limit is passed: at most the limit (plus a chunk) is ever unpacked, and
    nothing is kept but a nested archive being checked."""
    limit = limits()
    try:
        _check_zip(fileobj, name=name, limit=limit, unpacked=_Unpacked(), depth=0)
    except (zipfile.BadZipFile, zlib.error, EOFError, struct.error, OSError, ValueError) as e:
        raise DocumentError(
            f"{name} is damaged and cannot be opened: save it again and upload it"
        ) from e
    finally:
        fileobj.seek(0)


def _too_big(name: str, limit: dict) -> DocumentError:
    return DocumentError(
        f"{name} unpacks to more than {human_size(limit['unpacked'])}: save it as a PDF, or "
        "remove large pictures or tables, and upload it again"
    )


def _unsafe(name: str, why: str) -> DocumentError:
    return DocumentError(
        f"{name} {why}: save it again from your office program, or as a PDF, and upload that"
    )


def _check_zip(fileobj, *, name: str, limit: dict, unpacked: _Unpacked, depth: int) -> None:
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive:
        entries = archive.infolist()
    unpacked.entries += len(entries)
    if unpacked.entries > limit["entries"]:
        raise DocumentError(
            f"{name} holds more than {limit['entries']:,} files inside it: save it as a PDF, "
            "or split it into smaller documents, and upload it again"
        )
    if unpacked.bytes + sum(entry.file_size for entry in entries) > limit["unpacked"]:
        raise _too_big(name, limit)
    seen = set()
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise DocumentError(
                f"{name} is password-protected: remove the password and upload it again"
            )
        parts = re.split(r"[/\\]", entry.filename)
        if entry.filename.startswith(("/", "\\")) or _DRIVE.match(entry.filename) or ".." in parts:
            raise _unsafe(name, "has a file inside it that points outside the document")
        if entry.filename in seen:
            raise _unsafe(name, "has two files inside it with the same name")
        seen.add(entry.filename)
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unsafe(name, "is packed in a way office programs do not use")
    for entry in entries:
        nested = _unpack(fileobj, entry, name=name, limit=limit, unpacked=unpacked)
        if nested is not None:
            with nested:
                if depth + 1 > MAX_NESTING:
                    raise _unsafe(
                        name, f"has archives inside archives more than {MAX_NESTING} deep"
                    )
                _check_zip(nested, name=name, limit=limit, unpacked=unpacked, depth=depth + 1)


class _Entry:
    """The bytes of one entry as they are unpacked: counted against the limits, and kept (in a
    temporary file, on disk past 1 MB) only if the entry is itself a zip archive."""

    def __init__(self, *, name: str, limit: dict, unpacked: _Unpacked):
        self.name, self.limit, self.unpacked = name, limit, unpacked
        self.total = 0
        self.head = b""
        self.archive = None  # a temporary file, if the entry is a zip archive

    def take(self, data: bytes, *, packed: int) -> None:
        """`data` came out of the entry, `packed` compressed bytes having gone in so far."""
        self.total += len(data)
        self.unpacked.bytes += len(data)
        if self.unpacked.bytes > self.limit["unpacked"]:
            raise _too_big(self.name, self.limit)
        ratio = self.limit["ratio"]
        if self.total > RATIO_GRACE_BYTES and self.total > ratio * max(packed, 1):
            raise _unsafe(
                self.name,
                f"has a part that unpacks to more than {ratio} times its packed size, which "
                "real documents do not",
            )
        if self.archive is not None:
            self.archive.write(data)
        elif self.head is not None:
            self.head += data
            if len(self.head) >= 4:
                if self.head.startswith(b"PK\x03\x04"):
                    # Closed by the caller once checked, or below if unpacking fails.
                    self.archive = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
                    self.archive.write(self.head)
                self.head = None

    def discard(self) -> None:
        if self.archive is not None:
            self.archive.close()


def _unpack(fileobj, entry: zipfile.ZipInfo, *, name: str, limit: dict, unpacked: _Unpacked):
    """Unpacks one entry, counting its bytes against the limits, whatever its headers say: a
    deflated entry is read until its compressed stream really ends. Returns a temporary file
    holding the entry if it is itself a zip archive (to be checked in turn), else None."""
    fileobj.seek(entry.header_offset)
    header = _LOCAL_HEADER.unpack(fileobj.read(_LOCAL_HEADER.size))
    if header[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local file header")
    fileobj.seek(entry.header_offset + _LOCAL_HEADER.size + header[10] + header[11])
    out = _Entry(name=name, limit=limit, unpacked=unpacked)
    try:
        if entry.compress_type == zipfile.ZIP_STORED:
            _read_stored(fileobj, entry, out)
        else:
            _inflate(fileobj, entry, out)
    except BaseException:
        out.discard()
        raise
    return out.archive


def _read_stored(fileobj, entry: zipfile.ZipInfo, out: _Entry) -> None:
    if entry.file_size != entry.compress_size:
        raise zipfile.BadZipFile("a stored entry with two sizes")
    left = entry.compress_size
    while left > 0:
        data = fileobj.read(min(_CHUNK, left))
        if not data:
            raise zipfile.BadZipFile("an entry that ends early")
        left -= len(data)
        out.take(data, packed=out.total + len(data))


def _inflate(fileobj, entry: zipfile.ZipInfo, out: _Entry) -> None:
    if entry.compress_size == 0:
        # Declared empty: true only if the next record (or the end of the file) follows, since
        # no deflate stream can start with a zip signature.
        peek = fileobj.read(4)
        if not peek or peek in _SIGNATURES:
            return
        fileobj.seek(-len(peek), 1)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    read = 0
    while not inflater.eof:
        data = fileobj.read(_CHUNK)
        if not data:
            raise zipfile.BadZipFile("compressed data that ends early")
        read += len(data)
        while True:
            # At most a chunk out at a time, whatever a chunk in unpacks to; then again with
            # what is left of the input (or none: zlib may still hold output) until it stops.
            unpacked = inflater.decompress(data, _CHUNK)
            data = inflater.unconsumed_tail
            out.take(unpacked, packed=read - len(data))
            if inflater.eof or not (data or unpacked):
                break


def check(upload, *, case: BusinessCase) -> Kind:
    """The kind of an acceptable upload; raises DocumentError with the reason otherwise."""
    name = upload.name or "the file"
    limit = limits()
    if upload.size == 0:
        raise DocumentError(f"{name} is empty: choose a file with something in it")
    if upload.size > limit["file"]:
        raise DocumentError(
            f"{name} is {human_size(upload.size)}: "
            f"it must be smaller than {human_size(limit['file'])}"
        )
    used = case.documents.aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > limit["case"]:
        raise DocumentError(
            f"{name} would take this business case over its {human_size(limit['case'])} "
            f"allowance ({human_size(used)} already used): remove a document or upload a "
            "smaller file"
        )
    if case.documents.count() >= limit["count"]:
        raise DocumentError(f"A business case can have at most {limit['count']} documents")
    kind_key = sniff(upload.file)
    if kind_key is None:
        raise DocumentError(f"{name} must be a {ACCEPTED} file")
    kind = KINDS[kind_key]
    if not name.lower().endswith(kind.extensions):
        raise DocumentError(
            f"{name} is a {kind.label} but its name does not end {kind.extensions[0]}: "
            "rename it or choose another file"
        )
    if kind.key in ARCHIVE_KINDS:
        check_archive(upload.file, name=name)
    return kind


def add(*, case: BusinessCase, upload, by) -> Document:
    """Checks and stores an uploaded document, and puts it on the case's timeline."""
    kind = check(upload, case=case)
    # Django already drops unprintable characters from uploaded file names; this is the same
    # rule as for everything else typed, for names that arrive another way.
    name = strip_control_characters(upload.name)[0][:255]
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = Document(
            case=case,
            name=name,
            kind=kind.key,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )
        document.file.save(upload.name, upload, save=False)
        document.save()
        Event.objects.create(
            case=case, kind=Event.Kind.DOCUMENT_ADDED, actor=by, note=document.name
        )
    return document


def remove(*, document: Document, by) -> None:
    with transaction.atomic():
        Event.objects.create(
            case=document.case, kind=Event.Kind.DOCUMENT_REMOVED, actor=by, note=document.name
        )
        storage, path = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: storage.delete(path))
