import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages

from accounts.factories import PASSWORD

URL = "/accounts/sign-in/"
WRONG = "not-the-password"


def title(page: str) -> str:
    return f"<title>{page} \N{EN DASH} Kent right to bid \N{EN DASH} Kent County Council</title>"


def sign_in(client, email, password, url=URL):
    return client.post(url, {"username": email, "password": password})


@pytest.mark.django_db
def test_sign_in_page_links_to_sign_up_and_password_reset(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/sign_in.html"
    html = response.content.decode()
    assert title("Sign in") in html
    assert 'href="/accounts/sign-up/"' in html
    assert 'href="/accounts/password-reset/"' in html
    assert '<label for="id_username" class="govuk-label">\n          Email address' in html
    assert 'type="email" name="username"' in html


@pytest.mark.django_db
def test_sign_in_page_passes_next_on_to_sign_up(client):
    response = client.get(f"{URL}?next=/services/")

    assert 'href="/accounts/sign-up/?next=/services/"' in response.content.decode()


def test_bidder_signs_in_with_their_email_address_in_any_case(client, bidder):
    response = sign_in(client, "  Bidder@EXAMPLE.org ", PASSWORD)

    assert (response.status_code, response.url) == (302, "/")
    assert client.session["_auth_user_id"] == str(bidder.pk)


def test_sign_in_goes_on_to_a_next_page_on_this_site(client, bidder):
    response = sign_in(client, bidder.email, PASSWORD, url=f"{URL}?next=/services/")

    assert (response.status_code, response.url) == (302, "/services/")


def test_sign_in_ignores_a_next_page_on_another_site(client, bidder):
    response = sign_in(client, bidder.email, PASSWORD, url=f"{URL}?next=https://evil.example.com/")

    assert (response.status_code, response.url) == (302, "/")


def test_wrong_password_shows_one_error_in_the_error_summary(client, bidder):
    response = sign_in(client, bidder.email, WRONG)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Enter a correct email address and password"]
    }
    html = response.content.decode()
    assert title("Error: Sign in") in html
    assert '<li><a href="#id_username">Enter a correct email address and password</a></li>' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unknown_address_gets_the_same_error_as_a_wrong_password(client):
    response = sign_in(client, "nobody@example.org", WRONG)

    assert response.context["form"].errors == {
        "__all__": ["Enter a correct email address and password"]
    }


@pytest.mark.django_db
def test_sign_in_with_nothing_entered_asks_for_both_fields(client):
    response = client.post(URL, {})

    assert response.context["form"].errors == {
        "username": ["Enter your email address"],
        "password": ["Enter your password"],
    }


def test_inactive_user_cannot_sign_in(client, bidder):
    bidder.is_active = False
    bidder.save(update_fields=["is_active"])

    response = sign_in(client, bidder.email, PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- Lockout (django-axes) ---------------------------------------------------------------------


def test_sign_in_locks_the_address_at_the_failure_limit(client, bidder, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, bidder.email, WRONG).status_code == 200

    response = sign_in(client, bidder.email, WRONG)

    assert response.status_code == 429
    # The view renders the sign-in page; django-axes' middleware replaces it with this one.
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert title("You cannot sign in at the moment") in html
    assert "entered for this email address 5 times" in html
    assert "You can try again in 1 hour." in html
    assert '<a class="govuk-link" href="/accounts/password-reset/">reset your password</a>' in html


def test_locked_address_is_refused_even_with_the_right_password(client, bidder):
    for _ in range(5):
        sign_in(client, bidder.email, WRONG)

    response = sign_in(client, bidder.email, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_address_does_not_buy_more_guesses(client, bidder):
    for email in ["bidder@example.org", "Bidder@example.org", "BIDDER@example.org"]:
        sign_in(client, email, WRONG)
    sign_in(client, "bidder@Example.org", WRONG)

    response = sign_in(client, "bIdder@example.org", WRONG)

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("bidder@example.org", 5)
    ]


def test_lockout_of_one_address_leaves_others_able_to_sign_in(client, bidder, reviewer):
    # Council staff share egress addresses: the lock is on the e-mail address, not the IP.
    for _ in range(5):
        sign_in(client, bidder.email, WRONG)

    response = sign_in(client, reviewer.email, PASSWORD)

    assert (response.status_code, response.url) == (302, "/")


def test_signing_in_before_the_limit_clears_the_failures(client, bidder):
    for _ in range(4):
        sign_in(client, bidder.email, WRONG)
    sign_in(client, bidder.email, PASSWORD)
    client.post("/accounts/sign-out/")

    for _ in range(4):
        assert sign_in(client, bidder.email, WRONG).status_code == 200


# --- Sign out ----------------------------------------------------------------------------------


def test_sign_out_signs_out_goes_home_and_says_so(client, bidder):
    client.force_login(bidder)

    response = client.post("/accounts/sign-out/")

    assert (response.status_code, response.url) == (302, "/")
    assert "_auth_user_id" not in client.session
    assert [m.message for m in get_messages(response.wsgi_request)] == ["You have signed out"]
    page = client.get("/").content.decode()
    assert '<p class="govuk-notification-banner__heading">You have signed out</p>' in page


def test_sign_out_refuses_get(client, bidder):
    client.force_login(bidder)

    response = client.get("/accounts/sign-out/")

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(bidder.pk)
