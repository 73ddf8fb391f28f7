"""Every case and document URL, for the owner, a colleague, another bidder and anonymous."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.factories import UserFactory
from bids import documents, workflow
from bids.factories import BusinessCaseFactory
from bids.tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return BusinessCaseFactory(complete=True)


@pytest.fixture
def document(case):
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")
    return documents.add(case=case, upload=upload, by=case.created_by)


def case_urls(case, document):
    ids = {"public_id": case.public_id}
    doc = {**ids, "document_id": document.public_id}
    return [
        ("get", reverse("bids:detail", kwargs=ids)),
        ("get", reverse("bids:section", kwargs={**ids, "key": "finance"})),
        ("post", reverse("bids:section", kwargs={**ids, "key": "finance"})),
        ("post", reverse("bids:autosave", kwargs={**ids, "key": "finance"})),
        ("get", reverse("bids:documents", kwargs=ids)),
        ("post", reverse("bids:documents", kwargs=ids)),
        ("get", reverse("bids:document", kwargs=doc)),
        ("post", reverse("bids:document-remove", kwargs=doc)),
        ("get", reverse("bids:check", kwargs=ids)),
        ("post", reverse("bids:submit", kwargs=ids)),
        ("get", reverse("bids:submitted", kwargs=ids)),
        ("get", reverse("bids:withdraw", kwargs=ids)),
        ("post", reverse("bids:withdraw", kwargs=ids)),
    ]


def test_another_bidder_gets_404_on_every_case_and_document_url(client, case, document):
    client.force_login(UserFactory(organisation=None))
    other_org_member = UserFactory()  # an organisation of their own
    for user in (UserFactory(organisation=None), other_org_member):
        client.force_login(user)
        for method, url in case_urls(case, document):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (user, method, url)
    case.refresh_from_db()
    assert case.status == "draft"
    assert case.documents.count() == 1


def test_anonymous_is_sent_to_sign_in_on_every_case_and_document_url(client, case, document):
    for method, url in case_urls(case, document):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("accounts:sign-in")), url
    assert case.documents.count() == 1


def test_anonymous_learns_nothing_of_which_cases_exist(client, case, document):
    real = client.get(reverse("bids:detail", kwargs={"public_id": case.public_id}))
    made_up = client.get(
        reverse("bids:detail", kwargs={"public_id": "00000000-0000-4000-8000-000000000000"})
    )
    assert (real.status_code, made_up.status_code) == (302, 302)


@pytest.mark.parametrize("who", ["owner", "colleague"])
def test_the_organisation_can_open_every_read_url(client, case, document, who):
    user = case.created_by if who == "owner" else UserFactory(organisation=case.organisation)
    client.force_login(user)
    for method, url in case_urls(case, document):
        if method == "get" and "submitted" not in url:
            assert client.get(url).status_code == 200, url
    download = client.get(document.get_absolute_url())
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert download["Content-Type"] == "application/pdf"


def test_a_colleague_can_submit_and_then_nobody_can_edit(client, case):
    colleague = UserFactory(organisation=case.organisation)
    client.force_login(colleague)
    response = client.post(reverse("bids:submit", kwargs={"public_id": case.public_id}))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"
    section = reverse("bids:section", kwargs={"public_id": case.public_id, "key": "finance"})
    assert client.get(section).status_code == 404
    assert client.post(section, {"working_capital": "1"}).status_code == 404
    autosave = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": "finance"})
    assert client.post(autosave, {"working_capital": "1"}).status_code == 409
    case.refresh_from_db()
    assert case.answers["finance"]["data"]["working_capital"] == ["250000"]


def test_an_officer_without_an_organisation_gets_404_on_bidder_pages(client, case, reviewer):
    client.force_login(reviewer)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_withdrawn_case_is_still_visible_to_its_organisation(client, case):
    workflow.withdraw(case=case, by=case.created_by)
    client.force_login(case.created_by)
    assert client.get(case.get_absolute_url()).status_code == 200
