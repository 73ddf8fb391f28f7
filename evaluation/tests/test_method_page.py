import pytest
from django.urls import reverse

from evaluation.scoring import DEFAULT_CRITERIA, DEFAULT_TITLES

pytestmark = pytest.mark.django_db


def test_the_assessment_method_is_a_page_naming_every_criterion(client):
    response = client.get(reverse("scoring-method"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>How business cases are assessed</h1>" in html
    assert "<table>" in html
    for spec in DEFAULT_CRITERIA:
        assert DEFAULT_TITLES[spec.key][0] in html, spec.key


def test_the_business_case_pages_link_to_the_method(client):
    from bids.factories import BusinessCaseFactory

    case = BusinessCaseFactory()
    client.force_login(case.created_by)
    method = reverse("scoring-method")
    assert method in client.get(case.get_absolute_url()).content.decode()
    section = reverse("bids:section", kwargs={"public_id": case.public_id, "key": "finance"})
    assert method in client.get(section).content.decode()


def test_the_public_method_page_names_no_code_path(client):
    html = client.get("/how-business-cases-are-assessed/").content.decode()
    assert ".py" not in html
    assert "ENGINE_VERSION" not in html
