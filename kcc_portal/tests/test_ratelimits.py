"""Every form that can be guessed or flooded answers 429 once over its limit (set low here), with
a page that says what happened and when to try again; counts are per user, address or email."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.factories import OrganisationFactory, UserFactory
from accounts.models import User
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Document
from bids.tests.files import pdf_bytes
from kcc_portal.ratelimits import in_words

pytestmark = pytest.mark.django_db

A = "203.0.113.10"
B = "198.51.100.20"


def title(page: str) -> str:
    return f"<title>{page} \N{EN DASH} Kent right to bid \N{EN DASH} Kent County Council</title>"


def assert_limited_page(response, what: str):
    assert response.status_code == 429
    assert response.templates[0].name == "429.html"
    html = response.content.decode()
    assert title("Too many attempts") in html
    assert what in html
    assert "You can try again in " in html
    assert 0 < int(response["Retry-After"]) <= 3600 + 5


def signed_in(user, address=A) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


# --- Joining an organisation by code --------------------------------------------------------------


def test_joining_by_code_is_limited_per_user(settings):
    settings.RATE_LIMIT_JOIN_ORGANISATION = "2/h"
    organisation = OrganisationFactory()
    guesser = signed_in(UserFactory(), address=A)
    url = reverse("accounts:organisation-join")

    for _ in range(2):
        assert guesser.post(url, {"join_code": "WRONG234"}).status_code == 200
    limited = guesser.post(url, {"join_code": organisation.join_code})
    from_elsewhere = guesser.post(url, {"join_code": organisation.join_code}, REMOTE_ADDR=B)

    assert_limited_page(limited, "Too many joining codes have been tried")
    assert from_elsewhere.status_code == 429
    assert User.objects.filter(organisation=organisation).count() == 0
    assert guesser.get(url).status_code == 200  # looking at the form is not counted


def test_joining_by_code_is_limited_per_address(settings):
    settings.RATE_LIMIT_JOIN_ORGANISATION = "2/h"
    organisation = OrganisationFactory()
    url = reverse("accounts:organisation-join")
    for _ in range(2):
        signed_in(UserFactory(), address=A).post(url, {"join_code": "WRONG234"})

    same_address = signed_in(UserFactory(), address=A).post(url, {"join_code": "WRONG234"})
    other_address = signed_in(UserFactory(), address=B).post(
        url, {"join_code": organisation.join_code}
    )

    assert same_address.status_code == 429
    assert other_address.status_code == 302


# --- Password reset, sign-up and the confirmation email -----------------------------------------


@pytest.mark.parametrize(
    ("url", "setting", "data", "what"),
    [
        (
            "/accounts/password-reset/",
            "RATE_LIMIT_PASSWORD_RESET",
            lambda email: {"email": email},
            "Too many password reset links have been asked for",
        ),
        (
            "/accounts/confirm/resend/",
            "RATE_LIMIT_CONFIRMATION_EMAIL",
            lambda email: {"email": email},
            "Too many confirmation emails have been asked for",
        ),
        (
            "/accounts/sign-up/",
            "RATE_LIMIT_SIGN_UP",
            lambda email: {
                "full_name": "Sam",
                "email": email,
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
            },
            "Too many accounts have been asked for",
        ),
    ],
)
def test_email_forms_are_limited_per_address_and_per_email(
    settings, mailoutbox, url, setting, data, what
):
    setattr(settings, setting, "2/h")
    client = Client(REMOTE_ADDR=A)
    for _ in range(2):
        assert client.post(url, data("person@example.org")).status_code == 302
    users = User.objects.count()

    same_address = client.post(url, data("someone.else@example.org"))
    same_email = Client(REMOTE_ADDR=B).post(url, data("PERSON@example.org "))
    neither = Client(REMOTE_ADDR=B).post(url, data("fresh@example.org"))

    assert_limited_page(same_address, what)
    assert_limited_page(same_email, what)
    assert neither.status_code == 302
    assert User.objects.count() == users + (1 if url == "/accounts/sign-up/" else 0)


def test_a_limited_password_reset_sends_nothing(settings, bidder, mailoutbox):
    settings.RATE_LIMIT_PASSWORD_RESET = "1/h"
    client = Client(REMOTE_ADDR=A)
    client.post("/accounts/password-reset/", {"email": bidder.email})

    response = client.post("/accounts/password-reset/", {"email": bidder.email})

    assert response.status_code == 429
    assert len(mailoutbox) == 1


# --- Uploads and autosave -------------------------------------------------------------------------


@pytest.fixture
def case(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return BusinessCaseFactory()


def test_uploads_are_limited_per_user(settings, case):
    settings.RATE_LIMIT_UPLOAD = "1/h"
    client = signed_in(case.created_by)
    url = reverse("bids:documents", kwargs={"public_id": case.public_id})

    def upload(name):
        return client.post(url, {"file": SimpleUploadedFile(name, pdf_bytes())})

    assert upload("one.pdf").status_code == 302
    limited = upload("two.pdf")

    assert_limited_page(limited, "You have uploaded too many files in a short time.")
    assert list(Document.objects.values_list("name", flat=True)) == ["one.pdf"]
    assert client.get(url).status_code == 200
    colleague = signed_in(UserFactory(organisation=case.organisation))
    assert colleague.post(
        url, {"file": SimpleUploadedFile("three.pdf", pdf_bytes())}
    ).status_code == (302)


def test_autosave_is_limited_per_user_and_answers_json(settings, case):
    settings.RATE_LIMIT_AUTOSAVE = "2/m"
    client = signed_in(case.created_by)
    url = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": "proposal"})
    for summary in ("First", "Second"):
        assert client.post(url, {"summary": summary}).json()["saved"] is True

    response = client.post(url, {"summary": "Third"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"].startswith(
        "Your answers were not saved just now: they have been saved too many times in a short "
        "time. They are still on this page and will be saved automatically in "
    )
    assert 0 < body["retry_after"] == int(response["Retry-After"]) <= 65
    answers = BusinessCase.objects.get(pk=case.pk).answers
    assert answers["proposal"]["data"]["summary"] == ["Second"]


def test_a_cache_that_is_down_lets_requests_through(settings, case):
    # The rate limits must not turn a cache outage into a site that refuses every form.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.RATE_LIMIT_AUTOSAVE = "1/m"
    client = signed_in(case.created_by)
    url = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": "proposal"})

    for _ in range(3):
        assert client.post(url, {"summary": "Typed"}).status_code == 200


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 minute"), (60, "1 minute"), (61, "2 minutes"), (3540, "59 minutes"), (3541, "1 hour")],
)
def test_waits_are_rounded_up_to_whole_minutes_or_hours(seconds, words):
    assert in_words(seconds) == words


@pytest.mark.browser
def test_autosave_over_its_limit_says_so_and_keeps_what_was_typed(
    signed_in_page, site, settings, case, assert_no_axe_violations
):
    from playwright.sync_api import expect

    settings.RATE_LIMIT_AUTOSAVE = "1/m"
    page = signed_in_page(case.created_by)
    page.goto(
        site.url + reverse("bids:section", kwargs={"public_id": case.public_id, "key": "proposal"})
    )
    summary = page.get_by_label("Summary of your proposal")
    status = page.locator(".app-autosave-status")

    summary.fill("Staff run the day centres")
    expect(status).to_contain_text("Draft saved at")
    summary.fill("Staff run the day centres as a co-operative.")
    expect(status).to_contain_text("saved too many times in a short time")
    expect(status).to_contain_text("They are still on this page")
    assert_no_axe_violations(page)

    expect(summary).to_have_value("Staff run the day centres as a co-operative.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your business case")
    answers = BusinessCase.objects.get(pk=case.pk).answers
    assert answers["proposal"]["data"]["summary"] == [
        "Staff run the day centres as a co-operative."
    ]
