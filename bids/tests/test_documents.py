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
