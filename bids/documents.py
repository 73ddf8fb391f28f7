"""Supporting documents: what a file really is (from its content, never its name), and the limits.

Accepted: PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT) and spreadsheet (ODS). A file is
refused, with a message saying why, when it is empty, too large, would take the case over its total
allowance, is not one of those types by content, or is named as one type while being another.
"""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from bids.models import BusinessCase, Document, Event


def limits() -> dict[str, int]:
    """Upload limits from settings (read at call time, so tests and deployments can set them)."""
    return {
        "file": settings.BID_DOCUMENT_MAX_BYTES,
        "case": settings.BID_DOCUMENTS_MAX_BYTES_PER_CASE,
        "count": settings.BID_DOCUMENTS_MAX_PER_CASE,
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
                # OpenDocument: the first entry, stored uncompressed, names the type.
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
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
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fileobj.seek(0)


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


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
    return kind


def add(*, case: BusinessCase, upload, by) -> Document:
    """Checks and stores an uploaded document, and puts it on the case's timeline."""
    kind = check(upload, case=case)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = Document(
            case=case,
            name=upload.name[:255],
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
