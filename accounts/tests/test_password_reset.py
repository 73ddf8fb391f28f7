import re

import pytest

from accounts.factories import PASSWORD

NEW_PASSWORD = "a-brand-new-passphrase"
LINK = re.compile(r"^http://testserver(/accounts/password-reset/[^/]+/[^/]+/)$", re.MULTILINE)


def title(page: str) -> str:
    return f"<title>{page} \N{EN DASH} Kent right to bid \N{EN DASH} Kent County Council</title>"


def ask_for_reset(client, email):
    return client.post("/accounts/password-reset/", {"email": email})


def reset_link(mail) -> str:
    (path,) = LINK.findall(mail.body)
    return path


def set_new_password(client, link, password=NEW_PASSWORD):
    # The e-mailed link stores the token in the session and redirects to a URL without it,
    # so that the token does not leak through the Referer header.
    form_url = client.get(link).url
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_password_reset_from_request_to_signing_in_with_the_new_password(
    client, bidder, mailoutbox
):
    response = ask_for_reset(client, "Bidder@Example.org")
    assert (response.status_code, response.url) == (302, "/accounts/password-reset/sent/")

    (mail,) = mailoutbox
    assert mail.to == ["bidder@example.org"]
    assert mail.subject == "Reset your Kent right to bid password"
    assert mail.alternatives == []
    assert mail.body.startswith("Dear Bea Bidder,\n")
    assert "The link works once, for 3\xa0days." in mail.body
    link = reset_link(mail)

    redirect = client.get(link)
    assert redirect.status_code == 302
    assert redirect.url.endswith("/set-password/")
    form_page = client.get(redirect.url)
    assert form_page.status_code == 200
    assert form_page.templates[0].name == "accounts/password_reset_confirm.html"
    assert title("Set a new password") in form_page.content.decode()

    done = client.post(redirect.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert (done.status_code, done.url) == (302, "/accounts/password-reset/complete/")
    complete = client.get(done.url).content.decode()
    assert '<h1 class="govuk-panel__title">Your password has been changed</h1>' in complete

    refused = client.post("/accounts/sign-in/", {"username": bidder.email, "password": PASSWORD})
    assert refused.status_code == 200
    signed_in = client.post(
        "/accounts/sign-in/", {"username": bidder.email, "password": NEW_PASSWORD}
    )
    assert (signed_in.status_code, signed_in.url) == (302, "/")
    assert client.session["_auth_user_id"] == str(bidder.pk)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    # Saying "no such account" would tell anyone which addresses have accounts.
    response = ask_for_reset(client, "nobody@example.org")

    assert (response.status_code, response.url) == (302, "/accounts/password-reset/sent/")
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_reset_sent_page_says_to_check_email(client):
    response = client.get("/accounts/password-reset/sent/")

    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Check your email</h1>' in html
    assert "If an account exists for the address you entered" in html


@pytest.mark.django_db
def test_password_reset_with_a_badly_formed_address_shows_the_error_summary(client, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "bidder"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Enter an email address in the correct format, like name@example.com"]
    }
    assert title("Error: Reset your password") in response.content.decode()
    assert mailoutbox == []


def test_new_password_must_pass_the_validators(client, bidder, mailoutbox):
    ask_for_reset(client, bidder.email)

    response = set_new_password(client, reset_link(mailoutbox[0]), password="password123")

    assert response.status_code == 200
    assert response.context["form"].errors == {"new_password2": ["This password is too common."]}
    assert "<title>Error: Set a new password" in response.content.decode()


def test_reset_link_works_only_once(client, bidder, mailoutbox):
    ask_for_reset(client, bidder.email)
    link = reset_link(mailoutbox[0])
    set_new_password(client, link)

    response = client.get(link)

    assert response.status_code == 200
    html = response.content.decode()
    assert title("This link has expired") in html
    assert '<a class="govuk-link" href="/accounts/password-reset/">Ask for a new link</a>' in html


def test_setting_a_new_password_lifts_a_lockout_on_the_address(client, bidder, mailoutbox):
    for _ in range(5):
        client.post("/accounts/sign-in/", {"username": bidder.email, "password": "wrong-guess"})
    ask_for_reset(client, bidder.email)

    set_new_password(client, reset_link(mailoutbox[0]))
    response = client.post(
        "/accounts/sign-in/", {"username": bidder.email, "password": NEW_PASSWORD}
    )

    assert (response.status_code, response.url) == (302, "/")
