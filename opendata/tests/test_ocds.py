"""/decisions/ocds.json: OCDS 1.1 release packages, valid against the schemas kept in
opendata/schema/ (offline), paged by date, and holding nothing that is not public."""

import copy
import datetime
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

from bids.models import Outcome
from evaluation.models import Decision
from members.factories import DecidedCaseFactory
from opendata import ocds
from opendata.published import WITHHELD, public, published_decisions
from opendata.tests.conftest import SECRET_EMAIL, SECRET_PHONE, days_ago

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parent.parent / "schema"
URL = reverse("opendata:ocds")


def _load(name: str) -> dict:
    return json.loads((SCHEMA / name).read_text())


def _merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: how OCDS extensions apply to the release schema."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    moment = datetime.datetime.fromisoformat(value)  # raises ValueError: invalid
    return moment.tzinfo is not None


def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme in {"http", "https"} and parts.netloc)


# jsonschema checks "date-time" and "uri" only with optional packages: these are the checks.
FORMATS = FormatChecker(formats=())
FORMATS.checks("date-time", raises=ValueError)(_date_time)
FORMATS.checks("uri")(_uri)


@pytest.fixture(scope="module")
def validator():
    package = _load("release-package-schema.json")
    release = _merge_patch(_load("release-schema.json"), _load("bid-extension-release-schema.json"))
    registry = Registry().with_resources(
        (schema["id"], DRAFT4.create_resource(schema)) for schema in (package, release)
    )
    return Draft4Validator(package, registry=registry, format_checker=FORMATS)


def assert_valid(validator, data):
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_the_schema_check_catches_what_ocds_forbids(validator, published_case):
    """The validator is not a rubber stamp: broken packages fail it."""
    published_case(reference="RTB-2026-0001")
    good = json.loads(
        json.dumps(
            ocds.package(
                [public(d) for d in published_decisions()],
                uri="https://example.org/decisions/ocds.json",
                decision_url=lambda d: "https://example.org/decisions/x/",
                published=timezone.now(),
            )
        )
    )
    assert_valid(validator, good)
    for breaking in (
        lambda p: p.pop("publisher"),
        lambda p: p["releases"][0].pop("ocid"),
        lambda p: p["releases"][0]["tag"].append("nonsense"),
        lambda p: p["releases"][0]["awards"][0].update(status="won"),
        lambda p: p["releases"][0]["bids"]["details"][0].update(status="lost"),  # the extension
        lambda p: p["releases"][0]["planning"]["budget"]["amount"].update(amount="12"),
        lambda p: p.update(publishedDate="yesterday"),
        lambda p: p.update(releases=[]),
    ):
        broken = copy.deepcopy(good)
        breaking(broken)
        assert list(validator.iter_errors(broken)), breaking


def test_the_package_is_valid_ocds_and_says_who_published_it(
    client, validator, published_case, rejected_through_the_workflow, settings
):
    settings.OCDS_OCID_PREFIX = "ocds-test01-rtb"
    settings.SITE_URL = "https://righttobid.kent.gov.uk"
    published_case(
        reference="RTB-2019-0001",
        outcome=Outcome.ACCEPTED_WITH_MODIFICATION,
        decision__modification="KCC keeps a golden share.",
        published_at=days_ago(3),
    )
    rejected = rejected_through_the_workflow(asks=True, withhold=True)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert_valid(validator, data)
    assert data["version"] == "1.1"
    assert data["uri"] == "https://righttobid.kent.gov.uk/decisions/ocds.json"
    assert data["publisher"]["name"] == "Kent County Council"
    assert data["license"] == settings.OCDS_LICENSE
    assert data["publicationPolicy"] == "https://righttobid.kent.gov.uk/decisions/open-data/"
    assert "links" not in data
    accepted, refused = data["releases"]  # oldest published first
    assert accepted["ocid"] == "ocds-test01-rtb-RTB-2019-0001"
    assert refused["ocid"] == f"ocds-test01-rtb-{rejected.reference}"
    assert data["publishedDate"] == refused["date"]
    assert accepted["tag"] == ["planning", "tender", "award"]
    assert accepted["planning"]["budget"]["amount"] == {"amount": 1000000, "currency": "GBP"}
    assert accepted["awards"][0]["status"] == "pending"
    assert "KCC keeps a golden share." in accepted["awards"][0]["description"]
    assert accepted["bids"]["details"][0]["status"] == "valid"
    assert accepted["awards"][0]["suppliers"] == accepted["bids"]["details"][0]["tenderers"]
    assert refused["awards"][0]["status"] == "unsuccessful"
    assert "suppliers" not in refused["awards"][0]
    assert "Information in it is materially inadequate" in refused["awards"][0]["description"]
    assert refused["bids"]["details"][0]["status"] == "disqualified"
    assert refused["bids"]["details"][0]["tenderers"][0]["name"] == WITHHELD
    assert refused["awards"][0]["documents"][0]["url"] == (
        f"https://righttobid.kent.gov.uk/decisions/{rejected.reference}/"
    )


def test_no_personal_data_nor_anything_withheld_or_confidential_is_published(
    client, validator, rejected_through_the_workflow, commissioning_officer
):
    named = rejected_through_the_workflow()
    withheld = rejected_through_the_workflow(asks=True, withhold=True)
    unpublished = rejected_through_the_workflow(publish=False)
    response = client.get(URL)
    text = response.content.decode()
    assert_valid(validator, response.json())
    assert named.organisation.name in text  # named: it is public
    assert WITHHELD in text
    for secret in (
        SECRET_EMAIL,
        SECRET_PHONE,
        "Jo Private",
        named.created_by.email,
        withheld.created_by.email,
        named.created_by.full_name,
        withheld.organisation.name,  # the bidder marked it confidential, the officer agreed
        withheld.title,
        commissioning_officer.email,
        commissioning_officer.full_name,
        unpublished.reference,
        "assessment",
        "score",
    ):
        assert secret.lower() not in text.lower(), secret
    # a withheld bidder cannot be linked to their organisation's other cases by its id
    assert str(withheld.organisation.pk) not in [
        p["id"].removeprefix("bidder-") for r in response.json()["releases"] for p in r["parties"]
    ]


def test_pages_of_a_hundred_oldest_first_with_links_next(client, validator, published_case):
    for n in range(ocds.PAGE_SIZE + 5):
        published_case(reference=f"RTB-2026-{n + 1:04d}", published_at=days_ago(200 - n))
    first = client.get(URL).json()
    assert len(first["releases"]) == ocds.PAGE_SIZE
    assert first["releases"][0]["ocid"].endswith("RTB-2026-0001")
    next_url = first["links"]["next"]
    assert parse_qs(urlsplit(next_url).query) == {"page": ["2"]}
    second = client.get(URL, {"page": 2}).json()
    assert_valid(validator, second)
    assert [r["ocid"][-4:] for r in second["releases"]] == ["0101", "0102", "0103", "0104", "0105"]
    assert "links" not in second
    assert second["uri"].endswith("/decisions/ocds.json?page=2")


def test_since_keeps_only_what_was_published_after_it(client, published_case):
    published_case(reference="RTB-2026-0001", published_at=days_ago(10))
    published_case(reference="RTB-2026-0002", published_at=days_ago(2))
    since = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    data = client.get(URL, {"since": since}).json()
    assert [r["ocid"][-4:] for r in data["releases"]] == ["0002"]
    assert parse_qs(urlsplit(data["uri"]).query)["since"][0].startswith(since)
    moment = days_ago(10) + datetime.timedelta(seconds=1)
    data = client.get(URL, {"since": moment.isoformat()}).json()
    assert [r["ocid"][-4:] for r in data["releases"]] == ["0002"]


@pytest.mark.parametrize(
    "since", ["yesterday", "2026-13-45", "9" * 100, "2026-02-30", "99999-01-01", "2026-01-01\x00x"]
)
def test_a_since_that_is_not_a_date_is_400_not_500(client, published_case, since):
    published_case(reference="RTB-2026-0001")
    response = client.get(URL, {"since": since})
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["error"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999999", "\x00"])
def test_odd_pages_answer_200(client, published_case, page):
    published_case(reference="RTB-2026-0001")
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert len(response.json()["releases"]) == 1


def test_an_unpublished_decision_is_never_a_release(client, published_case):
    published_case(reference="RTB-2026-0001")
    DecidedCaseFactory(reference="RTB-2026-0002")
    Decision.objects.filter(case__reference="RTB-2026-0001").update(published_at=None)
    assert client.get(URL).json()["releases"] == []


@pytest.mark.parametrize("count", [3, 30])
def test_a_page_runs_the_same_queries_whatever_the_number(
    client, published_case, django_assert_num_queries, count
):
    for n in range(count):
        published_case(reference=f"RTB-2026-{n + 1:04d}")
    with django_assert_num_queries(3):  # the count, the page, the services' districts
        data = client.get(URL).json()
    assert len(data["releases"]) == count
