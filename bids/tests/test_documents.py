"""Uploads are checked by content, not by name; a refused upload stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bids.factories import BusinessCaseFactory
from bids.models import Document, Event
from bids.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case():
    return BusinessCaseFactory()


def upload(client, case, name, content):
    client.force_login(case.created_by)
    url = reverse("bids:documents", kwargs={"public_id": case.public_id})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("accounts.pdf", files.pdf_bytes(), "pdf"),
        ("plan.docx", files.docx_bytes(), "docx"),
        ("budget.xlsx", files.xlsx_bytes(), "xlsx"),
        ("letter.odt", files.odf_bytes("text"), "odt"),
        ("costs.ods", files.odf_bytes("spreadsheet"), "ods"),
    ],
)
def test_each_accepted_type_is_stored_and_on_the_timeline(client, case, media, name, content, kind):
    response = upload(client, case, name, content)
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert (document.name, document.kind, document.size) == (name, kind, len(content))
    assert document.file.read() == content
    assert Event.objects.filter(case=case, kind=Event.Kind.DOCUMENT_ADDED, note=name).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "accounts.pdf",
            files.exe_bytes(),
            "accounts.pdf must be a PDF, DOCX, XLSX, ODT or ODS file",
        ),
        (
            "plan.pdf",
            files.docx_bytes(),
            "plan.pdf is a Word document (DOCX) but its name does not end .docx: rename it or "
            "choose another file",
        ),
        (
            "notes.docx",
            files.plain_zip_bytes(),
            "notes.docx must be a PDF, DOCX, XLSX, ODT or ODS file",
        ),
        ("setup.exe", files.exe_bytes(), "setup.exe must be a PDF, DOCX, XLSX, ODT or ODS file"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
    ids=["spoofed-extension", "misnamed-type", "zip-not-office", "disallowed-type", "empty"],
)
def test_refused_uploads_say_why_and_store_nothing(client, case, media, name, content, message):
    response = upload(client, case, name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert message.encode() in response.content.replace(b"&#x27;", b"'")
    assert Document.objects.count() == 0
    assert stored_files(media) == []


def test_an_oversize_file_is_refused_with_the_limit(client, case, media, settings):
    content = files.pdf_bytes() + b"0" * settings.BID_DOCUMENT_MAX_BYTES
    response = upload(client, case, "big.pdf", content)
    assert response.context["form"].errors["file"] == [
        "big.pdf is 10 MB: it must be smaller than 10 MB"
    ]
    assert Document.objects.count() == 0
    assert stored_files(media) == []


def test_the_case_allowance_is_enforced(client, case, media, settings):
    settings.BID_DOCUMENTS_MAX_BYTES_PER_CASE = 2 * len(files.pdf_bytes()) + 10
    assert upload(client, case, "one.pdf", files.pdf_bytes()).status_code == 302
    assert upload(client, case, "two.pdf", files.pdf_bytes()).status_code == 302
    response = upload(client, case, "three.pdf", files.pdf_bytes())
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("three.pdf would take this business case over its 260 bytes allowance")
    )
    assert Document.objects.count() == 2


def test_removing_a_document_deletes_the_file_after_commit(
    client, case, media, django_capture_on_commit_callbacks
):
    upload(client, case, "plan.pdf", files.pdf_bytes())
    document = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "bids:document-remove",
                kwargs={"public_id": case.public_id, "document_id": document.public_id},
            )
        )
    assert Document.objects.count() == 0
    assert stored_files(media) == []
    assert Event.objects.filter(case=case, kind=Event.Kind.DOCUMENT_REMOVED).count() == 1


# --- Office files are zip archives: zip bombs and other unsafe archives --------------------------


def refused(client, case, media, name, content) -> str:
    """Uploads a file that must be refused with nothing stored; returns the one message."""
    response = upload(client, case, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert errors[0].encode() in response.content.replace(b"&#x27;", b"'")
    assert Document.objects.count() == 0
    assert stored_files(media) == []
    return errors[0]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("plan.docx", files.realistic_docx(), "docx"),
        ("plan with workbook.docx", files.realistic_docx(embedded=files.realistic_xlsx()), "docx"),
        ("costs.xlsx", files.realistic_xlsx(rows=20_000), "xlsx"),
        ("letter.odt", files.realistic_odt(), "odt"),
    ],
    ids=["docx", "docx-with-embedded-workbook", "xlsx", "odt"],
)
def test_real_looking_office_files_pass_the_archive_checks(
    client, case, media, name, content, kind
):
    response = upload(client, case, name, content)
    assert response.status_code == 302
    assert Document.objects.get(case=case).kind == kind


def test_a_small_docx_that_unpacks_to_200_mb_is_refused(client, case, media):
    bomb = files.bomb_docx(200 * 1024 * 1024)
    assert len(bomb) < 210 * 1024  # the 204 KB
    message = refused(client, case, media, "bomb.docx", bomb)
    assert message == (
        "bomb.docx unpacks to more than 100 MB: save it as a PDF, or remove large pictures or "
        "tables, and upload it again"
    )


def test_a_docx_packed_a_thousand_times_under_the_size_limit_is_refused(client, case, media):
    bomb = files.bomb_docx(20 * 1024 * 1024)  # 20 MB in about 20 KB
    message = refused(client, case, media, "bomb.docx", bomb)
    assert message == (
        "bomb.docx has a part that unpacks to more than 100 times its packed size, which real "
        "documents do not: save it again from your office program, or as a PDF, and upload that"
    )


def test_a_docx_that_declares_more_than_the_unpacked_limit_is_refused(
    client, case, media, settings
):
    settings.BID_DOCUMENT_MAX_UNPACKED_BYTES = 1024 * 1024
    content = files.docx_with({"word/media/big.bin": files.random.randbytes(1024 * 1024)})
    message = refused(client, case, media, "plan.docx", content)
    assert message == (
        "plan.docx unpacks to more than 1 MB: save it as a PDF, or remove large pictures or "
        "tables, and upload it again"
    )


def test_a_docx_whose_headers_understate_its_size_is_measured_by_unpacking_it(
    client, case, media, settings
):
    settings.BID_DOCUMENT_MAX_UNPACKED_BYTES = 1024 * 1024
    liar = files.lying_docx(declared=1000, unpacked_bytes=3 * 1024 * 1024)
    message = refused(client, case, media, "liar.docx", liar)
    assert message.startswith("liar.docx unpacks to more than 1 MB")


def test_a_lying_header_cannot_hide_a_high_ratio_part_either(client, case, media):
    liar = files.lying_docx(declared=100, unpacked_bytes=20 * 1024 * 1024)
    message = refused(client, case, media, "liar.docx", liar)
    assert "unpacks to more than 100 times its packed size" in message


def test_a_docx_with_too_many_files_inside_is_refused(client, case, media, settings):
    settings.BID_DOCUMENT_MAX_ENTRIES = 100
    message = refused(client, case, media, "plan.docx", files.many_entries_docx(99))
    assert message == (
        "plan.docx holds more than 100 files inside it: save it as a PDF, or split it into "
        "smaller documents, and upload it again"
    )


def test_the_default_entry_limit_refuses_ten_thousand_and_one(client, case, media):
    message = refused(client, case, media, "plan.docx", files.many_entries_docx(9_999))
    assert message.startswith("plan.docx holds more than 10,000 files inside it")


def test_a_bomb_inside_an_embedded_archive_counts_too(client, case, media):
    inner = files.bomb_docx(50 * 1024 * 1024)
    content = files.docx_with({"word/embeddings/oleObject1.docx": inner})
    message = refused(client, case, media, "plan.docx", content)
    assert "unpacks to more than 100 times its packed size" in message


def test_embedded_archives_count_towards_the_unpacked_limit(client, case, media, settings):
    settings.BID_DOCUMENT_MAX_UNPACKED_BYTES = 1024 * 1024
    # 600 KB of random bytes, counted twice: as the embedded file, and as what it unpacks to.
    inner = files.docx_with({"word/media/a.bin": files.random.randbytes(600 * 1024)})
    content = files.docx_with({"word/embeddings/a.docx": inner})
    message = refused(client, case, media, "plan.docx", content)
    assert message.startswith("plan.docx unpacks to more than 1 MB")


def test_archives_nested_too_deep_are_refused(client, case, media):
    content = files.docx_with({"word/embeddings/a.zip": files.nested_zip(b"deep", depth=4)})
    message = refused(client, case, media, "plan.docx", content)
    assert message == (
        "plan.docx has archives inside archives more than 3 deep: save it again from your "
        "office program, or as a PDF, and upload that"
    )


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (files.encrypted_docx(), "is password-protected: remove the password and upload it again"),
        (
            files.docx_with({"../../etc/cron.d/evil": b"x"}),
            "has a file inside it that points outside the document",
        ),
        (
            files.docx_with({"/etc/passwd": b"x"}),
            "has a file inside it that points outside the document",
        ),
        (
            files.docx_with({"word\\..\\..\\evil.txt": b"x"}),
            "has a file inside it that points outside the document",
        ),
        (files.duplicate_names_docx(), "has two files inside it with the same name"),
    ],
    ids=["encrypted", "parent-directory", "absolute-path", "backslashes", "duplicate-names"],
)
def test_unsafe_archives_are_refused_and_say_why(client, case, media, content, why):
    assert why in refused(client, case, media, "plan.docx", content)


def test_an_archive_with_a_damaged_entry_is_refused_as_damaged(client, case, media):
    content = bytearray(files.realistic_docx())
    start = content.find(b"word/document.xml") + len(b"word/document.xml")
    content[start + 100 : start + 400] = b"\xff" * 300  # inside the packed document.xml
    message = refused(client, case, media, "plan.docx", bytes(content))
    assert message == "plan.docx is damaged and cannot be opened: save it again and upload it"


def test_an_odt_whose_mimetype_entry_is_a_bomb_is_read_no_further_than_a_type(client, case, media):
    content = files._zip(
        {"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * (20 * 1024 * 1024)}
    )
    message = refused(client, case, media, "letter.odt", content)
    assert "unpacks to more than 100 times its packed size" in message
