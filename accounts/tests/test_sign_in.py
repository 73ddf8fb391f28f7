import re

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.test import Client

from accounts.factories import PASSWORD, UserFactory
from accounts.forms import UNCONFIRMED

URL = "/accounts/sign-in/"
ADMIN = "/admin/login/?next=/admin/"
WRONG = "not-the-password"
NEW_PASSWORD = "a-brand-new-passphrase"


def title(page: str) -> str:
    return f"<title>{page} \N{EN DASH} Kent right to bid \N{EN DASH} Kent County Council</title>"


def sign_in(client, email, password, url=URL, address="127.0.0.1", **headers):
    return client.post(
        url, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


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


# --- Accounts awaiting confirmation ------------------------------------------------------------


@pytest.mark.django_db
def test_unconfirmed_account_with_the_right_password_is_told_to_confirm_and_how_to_resend(client):
    UserFactory(email="sam@example.org", is_active=False, awaiting_confirmation=True)

    response = sign_in(client, "Sam@example.org", PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [UNCONFIRMED]}
    html = response.content.decode()
    assert title("Error: Sign in") in html
    assert '<a class="govuk-link" href="/accounts/confirm/resend/">' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unconfirmed_account_with_a_wrong_password_gets_the_usual_error(client):
    # Only someone who knows the password learns that the account is waiting for confirmation.
    UserFactory(email="sam@example.org", is_active=False, awaiting_confirmation=True)

    response = sign_in(client, "sam@example.org", WRONG)

    assert response.context["form"].errors == {
        "__all__": ["Enter a correct email address and password"]
    }
    assert "/accounts/confirm/resend/" not in response.content.decode()


def test_deactivated_account_is_not_offered_a_confirmation_email(client, bidder):
    bidder.is_active = False
    bidder.save(update_fields=["is_active"])

    response = sign_in(client, bidder.email, PASSWORD)

    assert response.context["form"].errors == {
        "__all__": ["Enter a correct email address and password"]
    }


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
    assert "entered for this email address 5 times from your network" in html
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


def test_lockout_of_one_account_leaves_others_able_to_sign_in_from_the_same_address(
    client, bidder, reviewer
):
    # Council staff share egress addresses: the lock is on the account from that address, not on
    # the address.
    for _ in range(5):
        sign_in(client, bidder.email, WRONG)

    response = sign_in(client, reviewer.email, PASSWORD)

    assert (response.status_code, response.url) == (302, "/")


def test_failures_from_one_address_lock_that_address_but_not_the_owner_elsewhere(client, reviewer):
    # Anyone could type an officer's address wrongly five times: that must not shut the officer
    # out, only the address the guesses came from.
    for _ in range(5):
        sign_in(client, reviewer.email, WRONG, address="203.0.113.66")

    locked = sign_in(client, reviewer.email, PASSWORD, address="203.0.113.66")
    owner = Client().post(
        URL, {"username": reviewer.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )

    assert locked.status_code == 429
    assert (owner.status_code, owner.url) == (302, "/")


def test_admin_sign_in_locks_the_guessing_address_not_the_officer(client, reviewer):
    for _ in range(4):
        response = sign_in(client, reviewer.email, WRONG, url=ADMIN, address="203.0.113.66")
        assert response.status_code == 200
    locked = sign_in(client, reviewer.email, WRONG, url=ADMIN, address="203.0.113.66")
    still_locked = sign_in(client, reviewer.email, PASSWORD, url=ADMIN, address="203.0.113.66")
    owner = Client()
    response = owner.post(
        ADMIN, {"username": reviewer.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )

    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert still_locked.status_code == 429
    assert (response.status_code, response.url) == (302, "/admin/")
    assert owner.get("/admin/").status_code == 200


def test_admin_sign_in_counts_an_address_in_any_case_as_one_account(client, reviewer):
    for email in ["Reviewer@kent.gov.uk", "REVIEWER@kent.gov.uk", " reviewer@KENT.gov.uk"]:
        sign_in(client, email, WRONG, url=ADMIN)
    sign_in(client, "reviewer@kent.gov.uk", WRONG, url=ADMIN)

    response = sign_in(client, "rEviewer@kent.gov.uk", WRONG, url=ADMIN)

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("reviewer@kent.gov.uk", 5)
    ]


def test_behind_a_proxy_the_lock_is_on_the_address_the_proxy_saw(client, settings, reviewer):
    # The proxy appends the address it received the request from; anything before that is what
    # the client chose to send, and must not let a guesser pick a new address for each guess.
    settings.BEHIND_PROXY = True
    for n in range(5):
        sign_in(
            client,
            reviewer.email,
            WRONG,
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66",
        )

    locked = sign_in(
        client, reviewer.email, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66"
    )
    owner = sign_in(
        Client(), reviewer.email, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.66"]
    assert locked.status_code == 429
    assert (owner.status_code, owner.url) == (302, "/")


def test_without_a_proxy_a_forwarded_for_header_is_ignored(client, settings, reviewer):
    settings.BEHIND_PROXY = False
    for n in range(5):
        sign_in(
            client,
            reviewer.email,
            WRONG,
            address="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    assert sign_in(client, reviewer.email, PASSWORD, address="203.0.113.66").status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.66"]


def test_resetting_the_password_lifts_the_lock_from_every_address(client, reviewer, mailoutbox):
    for _ in range(5):
        sign_in(client, reviewer.email, WRONG, address="203.0.113.66")
    client.post("/accounts/password-reset/", {"email": reviewer.email})
    link = re.search(r"/accounts/password-reset/[^/\s]+/[^/\s]+/", mailoutbox[0].body)[0]
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = sign_in(client, reviewer.email, NEW_PASSWORD, address="203.0.113.66")

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
