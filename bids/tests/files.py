"""Real files of each accepted type, made in memory, and impostors."""

import io
import random
import struct
import warnings
import zipfile


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _zip(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), entries[stored_first], zipfile.ZIP_STORED
            )
        for name, content in entries.items():
            if name != stored_first:
                archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odf_bytes(kind: str) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return _zip({"mimetype": mimetype, "content.xml": b"<office/>"}, stored_first="mimetype")


def exe_bytes() -> bytes:
    return b"MZ\x90\x00" + b"\x00" * 200


def plain_zip_bytes() -> bytes:
    return _zip({"notes.txt": b"hello"})


# --- Real-looking office files, and zip bombs ---------------------------------------------------
# Made in memory. The bombs are what an attacker would upload: small files that unpack to far
# more than they hold, or whose headers lie about what they hold.

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    b'+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Default Extension="png" ContentType="image/png"/></Types>'
)


def _words(count: int, seed: int = 1) -> bytes:
    """Prose-like text: real documents compress about 3 to 10 times, not 1,000."""
    rng = random.Random(seed)
    vocabulary = [
        "Kent", "service", "families", "community", "staff", "transfer", "budget", "outcome",
        "volunteers", "district", "council", "partnership", "provider", "training", "quality",
        "Thanet", "Maidstone", "residents", "savings", "measure", "target", "report", "care",
    ]  # fmt: skip
    return " ".join(
        rng.choice(vocabulary) + str(rng.randint(0, 999)) for _ in range(count)
    ).encode()


def realistic_xlsx(rows: int = 5000) -> bytes:
    """A workbook with a sheet of a few thousand rows, shared strings and styles."""
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{r % 50}</v></c><c r="B{r}"><v>{r * 37.5}</v></c>'
        f'<c r="C{r}"><f>B{r}*1.2</f><v>{r * 45}</v></c></row>'
        for r in range(1, rows + 1)
    )
    strings = "".join(f"<si><t>Line item {i}</t></si>" for i in range(50))
    sheet = f"<worksheet><sheetData>{cells}</sheetData></worksheet>"
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b'<workbook><sheets><sheet name="Costs" r:id="rId1"/></sheets>'
            b"</workbook>",
            "xl/_rels/workbook.xml.rels": b"<Relationships/>",
            "xl/worksheets/sheet1.xml": sheet.encode(),
            "xl/sharedStrings.xml": f"<sst>{strings}</sst>".encode(),
            "xl/styles.xml": b"<styleSheet>" + b"<xf/>" * 200 + b"</styleSheet>",
            "docProps/core.xml": b"<coreProperties/>",
            "docProps/app.xml": b"<Properties/>",
        }
    )


def realistic_docx(*, embedded: bytes | None = None) -> bytes:
    """A Word document of some 30 pages with a picture and, if given, an embedded workbook
    (as Word stores a spreadsheet pasted into a document: a zip inside the zip)."""
    paragraphs = b"".join(
        b"<w:p><w:r><w:t>" + _words(60, seed=i) + b"</w:t></w:r></w:p>" for i in range(300)
    )
    entries = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document><w:body>" + paragraphs + b"</w:body></w:document>",
        "word/styles.xml": b"<w:styles>" + b'<w:style w:type="paragraph"/>' * 300 + b"</w:styles>",
        "word/settings.xml": b"<w:settings/>",
        "word/fontTable.xml": b"<w:fonts/>",
        "word/_rels/document.xml.rels": b"<Relationships/>",
        "word/media/image1.png": b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(300_000),
        "docProps/core.xml": b"<coreProperties/>",
        "docProps/app.xml": b"<Properties/>",
    }
    if embedded is not None:
        entries["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] = embedded
    return _zip(entries)


def realistic_odt() -> bytes:
    """An OpenDocument text with its manifest, styles and a picture."""
    paragraphs = b"".join(b"<text:p>" + _words(60, seed=i) + b"</text:p>" for i in range(200))
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
            "content.xml": b"<office:document-content>"
            + paragraphs
            + b"</office:document-content>",
            "styles.xml": b"<office:document-styles/>",
            "meta.xml": b"<office:document-meta/>",
            "Pictures/logo.png": b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(50_000),
        },
        stored_first="mimetype",
    )


def docx_with(extra: dict[str, bytes]) -> bytes:
    """A minimal Word document with more entries in it."""
    return _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **extra}
    )


def bomb_docx(unpacked_bytes: int) -> bytes:
    """A Word document whose document.xml is `unpacked_bytes` of one repeated byte: deflate packs
    that about 1,000 times, so 200 MB fits in about 200 KB. Written in chunks, never held."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            left = unpacked_bytes
            while left > 0:
                entry.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return buffer.getvalue()


def many_entries_docx(count: int) -> bytes:
    return docx_with({f"word/media/image{i}.png": b"x" for i in range(count)})


def _central_entries(data: bytes):
    """(offset of its central directory record, name) of each entry of a zip file."""
    position = data.find(b"PK\x05\x06")
    directory = int.from_bytes(data[position + 16 : position + 20], "little")
    while data[directory : directory + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack(
            "<3H", data[directory + 28 : directory + 34]
        )
        name = data[directory + 46 : directory + 46 + name_length].decode()
        yield directory, name
        directory += 46 + name_length + extra_length + comment_length


def lying_docx(*, declared: int, unpacked_bytes: int) -> bytes:
    """A Word document whose document.xml says (in both of its headers) that it unpacks to
    `declared` bytes, while it really unpacks to `unpacked_bytes`."""
    data = bytearray(bomb_docx_plain(unpacked_bytes))
    for record, name in _central_entries(bytes(data)):
        if name == "word/document.xml":
            data[record + 24 : record + 28] = declared.to_bytes(4, "little")
            local = int.from_bytes(data[record + 42 : record + 46], "little")
            data[local + 22 : local + 26] = declared.to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml").file_size == (
        declared
    )
    return bytes(data)


def bomb_docx_plain(unpacked_bytes: int) -> bytes:
    """Like bomb_docx, with sizes in the ordinary (not zip64) header fields, to be forged."""
    return docx_with({"word/document.xml": b"\0" * unpacked_bytes})


def encrypted_docx() -> bytes:
    """A Word document whose document.xml is marked encrypted (as a password-protected zip's
    entries are): zipfile cannot write encryption, so the flag is set afterwards."""
    data = bytearray(docx_bytes())
    for record, name in _central_entries(bytes(data)):
        if name == "word/document.xml":
            data[record + 8] |= 0x1
            local = int.from_bytes(data[record + 42 : record + 46], "little")
            data[local + 6] |= 0x1
    return bytes(data)


def duplicate_names_docx() -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of the duplicate: intended
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            archive.writestr("word/document.xml", b"<w:document/>")
            archive.writestr("word/document.xml", b"<w:document>other</w:document>")
    return buffer.getvalue()


def nested_zip(inner: bytes, *, depth: int, name: str = "inner.zip") -> bytes:
    """`inner` wrapped in `depth` plain zip archives."""
    for _ in range(depth):
        inner = _zip({name: inner})
    return inner
