"""The API's OpenAPI 3 schema validates with drf-spectacular's own checks, and its documentation
page (Swagger UI from drf-spectacular-sidecar) renders under the site's CSP."""

import re

import pytest
import yaml
from django.core.management import call_command
from playwright.sync_api import expect

from opendata.tests.api_helpers import API, own_cache, published_case
from services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_throttle_counts(settings):
    own_cache(settings)


def test_the_schema_validates_with_no_warnings(tmp_path):
    """`--fail-on-warn` turns every warning (an unguessable type, an enum clash) into a failure;
    `--validate` checks the result against the OpenAPI 3 JSON schema."""
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        f"{API}/{name}/{suffix}"
        for name, lookup in [
            ("services", "{slug}"),
            ("directorates", "{slug}"),
            ("districts", "{slug}"),
            ("decisions", "{reference}"),
            ("cases", "{reference}"),
        ]
        for suffix in ("", f"{lookup}/")
    }
    # Cases say they need a token or a session; the public lists allow anonymous clients too.
    assert schema["paths"][f"{API}/cases/"]["get"]["security"] == [
        {"tokenAuth": []},
        {"cookieAuth": []},
    ]
    assert {} in schema["paths"][f"{API}/services/"]["get"]["security"]


def test_the_schema_endpoint_serves_the_schema(client):
    response = client.get(f"{API}/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "Kent right to bid: read API"
    assert f"{API}/decisions/" in schema["paths"]
    as_json = client.get(f"{API}/schema/?format=json")
    assert as_json.json()["info"]["version"] == schema["info"]["version"]


def test_the_docs_page_uses_only_our_own_files(client):
    """Nothing inline, nothing from another origin: the site's CSP applies unchanged."""
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    assert "http://" not in html and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle" in html
    # The site's policy, less the nonce a page with no inline script does not need.
    site_policy = re.sub(r" 'nonce-[^']+'", "", client.get("/")["Content-Security-Policy"])
    assert response["Content-Security-Policy"] == site_policy
    assert "unsafe" not in site_policy


@pytest.mark.browser
def test_the_docs_page_renders_in_chromium_with_no_csp_errors(page, site):
    ServiceFactory(name="Libraries")
    published_case()
    problems = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    page.goto(site.url + f"{API}/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kent right to bid: read API")
    # The operations are listed, read from /api/v1/schema/.
    paths = page.locator(".opblock-summary-path")
    expect(paths.filter(has_text=re.compile(f"^{API}/decisions/$"))).to_have_count(1)
    # Swagger UI really calls the API: open the services list and run it.
    page.locator(".opblock-summary").filter(
        has=paths.filter(has_text=re.compile(f"^{API}/services/$"))
    ).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".responses-wrapper .live-responses-table")).to_contain_text("Libraries")
    assert problems == []
