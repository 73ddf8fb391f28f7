import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.db.models import QuerySet

from accounts import registration
from accounts.factories import PASSWORD as FACTORY_PASSWORD
from accounts.factories import UserFactory
from accounts.models import User
from accounts.roles import Role

URL = "/accounts/sign-up/"
DONE = "/accounts/sign-up/check-your-email/"
PASSWORD = "a-long-and-unusual-passphrase"
OTHER_PASSWORD = "another-long-unusual-passphrase"
LINK = re.compile(r"^http://testserver(/accounts/confirm/[^/\s]+/[^/\s]+/\S*)$", re.MULTILINE)


def title(page: str) -> str:
    return f"<title>{page} \N{EN DASH} Kent right to bid \N{EN DASH} Kent County Council</title>"


def sign_up_data(**overrides):
    return {
        "full_name": "Sam Sign-Up",
        "email": "Sam@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


@pytest.mark.django_db
def test_sign_up_stores_a_name_without_the_control_characters_pasted_into_it(client):
    response = client.post(URL, sign_up_data(full_name="Sam\x00 Sign\x08-Up"))

    assert response.status_code == 302
    assert User.objects.get().full_name == "Sam Sign-Up"


@pytest.mark.django_db
def test_sign_up_page_shows_the_form_and_links_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/sign_up.html"
    assert list(response.context["form"].fields) == ["full_name", "email", "password1", "password2"]
    html = response.content.decode()
    assert title("Create an account") in html
    assert 'href="/accounts/sign-in/"' in html
    assert "govuk-error-summary" not in html


def post_sign_up(client, capture, url=URL, **overrides):
    """Posts the sign-up form and runs what it queued for after the commit (the email)."""
    with capture(execute=True):
        return client.post(url, sign_up_data(**overrides))


def confirmation_link(mail) -> str:
    (path,) = LINK.findall(mail.body)
    return path


@pytest.mark.django_db
def test_sign_up_creates_an_inactive_bidder_and_emails_a_confirmation_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    response = post_sign_up(client, django_capture_on_commit_callbacks)

    assert (response.status_code, response.url) == (302, DONE)
    user = User.objects.get()
    assert (user.email, user.full_name) == ("sam@example.org", "Sam Sign-Up")
    assert user.check_password(PASSWORD)
    assert user.roles == {Role.BIDDER}
    assert (user.is_active, user.awaiting_confirmation) == (False, True)
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert "_auth_user_id" not in client.session
    (mail,) = mailoutbox
    assert mail.to == ["sam@example.org"]
    assert mail.subject == "Confirm your email address for Kent right to bid"
    assert mail.body.startswith("Dear Sam Sign-Up,\n")
    assert "The link works once, for 3\xa0days." in mail.body
    assert confirmation_link(mail).startswith("/accounts/confirm/")


@pytest.mark.django_db
def test_check_your_email_page_names_the_address_and_how_long_the_link_works(
    client, django_capture_on_commit_callbacks
):
    response = post_sign_up(client, django_capture_on_commit_callbacks)
    page = client.get(response.url)

    assert page.status_code == 200
    assert page.templates[0].name == "accounts/check_email.html"
    html = page.content.decode()
    assert title("Check your email") in html
    assert "We have sent an email to <strong>sam@example.org</strong>." in html
    assert "The link works once, for 3\xa0days." in html
    assert 'href="/accounts/confirm/resend/"' in html


def test_sign_up_with_an_address_that_has_an_account_looks_the_same_and_emails_the_owner(
    client, bidder, django_capture_on_commit_callbacks, mailoutbox
):
    new = post_sign_up(client, django_capture_on_commit_callbacks, email="new@example.org")
    mailoutbox.clear()
    client.session.flush()

    taken = post_sign_up(
        client, django_capture_on_commit_callbacks, email="BIDDER@example.org", full_name="Eve"
    )

    assert (taken.status_code, taken.url) == (new.status_code, new.url)
    assert client.get(taken.url).templates[0].name == "accounts/check_email.html"
    bidder.refresh_from_db()
    assert (bidder.full_name, bidder.is_active) == ("Bea Bidder", True)
    assert bidder.check_password(FACTORY_PASSWORD)
    assert User.objects.filter(email__iexact="bidder@example.org").count() == 1
    assert "_auth_user_id" not in client.session
    (mail,) = mailoutbox
    assert mail.to == ["bidder@example.org"]
    assert mail.subject == (
        "Someone tried to create a Kent right to bid account with your email address"
    )
    assert "You already have an account" in mail.body
    assert "http://testserver/accounts/sign-in/" in mail.body
    assert "http://testserver/accounts/password-reset/" in mail.body
    assert "/accounts/confirm/" not in mail.body


@pytest.mark.django_db
def test_following_the_link_confirms_the_address_signs_in_and_goes_on_to_next(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    post_sign_up(client, django_capture_on_commit_callbacks, url=f"{URL}?next=/services/")
    link = confirmation_link(mailoutbox[0])
    assert link.endswith("?next=%2Fservices%2F")

    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert title("Confirm your email address") in html
    assert "<strong>sam@example.org</strong>" in html
    assert User.objects.get().is_active is False  # opening the link alone changes nothing

    response = client.post(link)

    assert (response.status_code, response.url) == (302, "/services/")
    user = User.objects.get()
    assert (user.is_active, user.awaiting_confirmation) == (True, False)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Your email address is confirmed and you are signed in"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_the_confirmation_link_ignores_a_next_page_on_another_site(
    client, django_capture_on_commit_callbacks, mailoutbox, next_url
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**sign_up_data(), "next": next_url})
    link = confirmation_link(mailoutbox[0])
    assert "next" not in link

    response = client.post(f"{link}?{urlencode({'next': next_url})}")

    assert (response.status_code, response.url) == (302, "/accounts/organisation/")
    assert User.objects.get().is_active is True


@pytest.mark.django_db
def test_the_confirmation_link_works_once(client, django_capture_on_commit_callbacks, mailoutbox):
    post_sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mailoutbox[0])
    client.post(link)
    client.post("/accounts/sign-out/")

    again = client.get(link)
    posted_again = client.post(link)

    assert again.status_code == 200
    assert title("This link has expired") in again.content.decode()
    assert posted_again.status_code == 200
    assert title("This link has expired") in posted_again.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_changed_or_out_of_date_confirmation_link_is_refused(
    client, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    post_sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mailoutbox[0])
    tampered = link.replace("/confirm/", "/confirm/x")

    assert title("This link has expired") in client.post(tampered).content.decode()
    later = datetime.now() + timedelta(days=4)
    monkeypatch.setattr(registration.confirmation_tokens, "_now", lambda: later)
    assert title("This link has expired") in client.post(link).content.decode()
    assert User.objects.get().is_active is False


@pytest.mark.django_db
def test_signing_up_again_before_confirming_takes_the_new_details_and_voids_the_old_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    # Whoever signed up first with someone else's address cannot keep the account: the owner's
    # own sign-up replaces the password, and the first link stops working.
    post_sign_up(client, django_capture_on_commit_callbacks, full_name="Mallory")
    first = confirmation_link(mailoutbox[0])

    post_sign_up(
        client,
        django_capture_on_commit_callbacks,
        password1=OTHER_PASSWORD,
        password2=OTHER_PASSWORD,
    )

    user = User.objects.get()
    assert (user.full_name, user.check_password(OTHER_PASSWORD)) == ("Sam Sign-Up", True)
    assert [m.to for m in mailoutbox] == [["sam@example.org"], ["sam@example.org"]]
    second = confirmation_link(mailoutbox[1])
    assert title("This link has expired") in client.post(first).content.decode()
    assert client.post(second).status_code == 302
    assert User.objects.get().is_active is True


def test_sign_up_with_a_deactivated_account_address_sends_nothing_and_switches_nothing_on(
    client, bidder, django_capture_on_commit_callbacks, mailoutbox
):
    bidder.is_active = False
    bidder.save(update_fields=["is_active"])

    response = post_sign_up(client, django_capture_on_commit_callbacks, email=bidder.email)

    assert (response.status_code, response.url) == (302, DONE)
    assert mailoutbox == []
    bidder.refresh_from_db()
    assert (bidder.is_active, bidder.awaiting_confirmation) == (False, False)
    assert bidder.check_password(FACTORY_PASSWORD)


@pytest.mark.django_db
def test_sign_up_goes_on_to_check_your_email_whatever_next_says(
    client, django_capture_on_commit_callbacks
):
    response = post_sign_up(client, django_capture_on_commit_callbacks, url=f"{URL}?next=/x/")

    assert (response.status_code, response.url) == (302, DONE)


@pytest.mark.django_db
def test_sign_up_with_nothing_entered_shows_every_problem_in_an_error_summary(client):
    response = client.post(URL, {})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "full_name": ["Enter your full name"],
        "email": ["Enter your email address"],
        "password1": ["Enter a password"],
        "password2": ["Confirm your password"],
    }
    html = response.content.decode()
    assert title("Error: Create an account") in html
    assert '<h2 class="govuk-error-summary__title" id="error-summary-title">' in html
    assert '<li><a href="#id_full_name">Enter your full name</a></li>' in html
    assert '<li><a href="#id_password2">Confirm your password</a></li>' in html
    # The summary comes before the page heading, as the Design System asks.
    assert html.index("govuk-error-summary") < html.index('<h1 class="govuk-heading-l">')
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_sign_up_explains_an_email_address_in_the_wrong_format(client):
    response = client.post(URL, sign_up_data(email="sam.example.org"))

    assert response.context["form"].errors == {
        "email": ["Enter an email address in the correct format, like name@example.com"]
    }
    # crispy-forms-gds leaves email inputs without the error border; the form adds it.
    assert 'class="govuk-input govuk-input--error"' in response.content.decode()


@pytest.mark.django_db
def test_sign_up_applies_the_password_validators(client):
    response = client.post(URL, sign_up_data(password1="1234567890", password2="1234567890"))

    assert response.context["form"].errors == {
        "password2": ["This password is too common.", "This password is entirely numeric."]
    }


@pytest.mark.django_db
def test_sign_up_refuses_a_password_like_the_email_address(client):
    response = client.post(
        URL, sign_up_data(password1="sam@example.org", password2="sam@example.org")
    )

    assert response.context["form"].errors == {
        "password2": ["The password is too similar to the email address."]
    }


@pytest.mark.django_db
def test_sign_up_refuses_a_short_password(client):
    response = client.post(URL, sign_up_data(password1="Xq7#vR2!", password2="Xq7#vR2!"))

    assert response.context["form"].errors == {
        "password2": ["This password is too short. It must contain at least 10 characters."]
    }


@pytest.mark.django_db
def test_sign_up_refuses_passwords_that_do_not_match(client):
    response = client.post(URL, sign_up_data(password2="a-different-passphrase"))

    assert response.context["form"].errors == {
        "password2": ["The passwords do not match \N{EN DASH} enter the same password twice"]
    }


@pytest.mark.django_db
def test_sign_up_that_loses_a_race_for_the_address_emails_the_owner_instead(
    client, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    # Another sign-up for the address commits between this one's look-up and its insert: the
    # look-up is made to miss once, and the database's unique constraint refuses the insert.
    User.objects.create_user(email="sam@example.org", password=PASSWORD, full_name="First")
    real_first = QuerySet.first
    missed = []

    def first_misses_once(queryset):
        if queryset.model is User and not missed:
            missed.append(True)
            return None
        return real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first_misses_once)

    response = post_sign_up(client, django_capture_on_commit_callbacks)

    assert missed == [True]
    assert (response.status_code, response.url) == (302, DONE)
    assert list(User.objects.values_list("full_name", flat=True)) == ["First"]
    (mail,) = mailoutbox
    assert "You already have an account" in mail.body
    assert "_auth_user_id" not in client.session


def test_signed_in_user_gets_redirected_home_from_sign_up(client, bidder, mailoutbox):
    client.force_login(bidder)

    assert client.get(URL).url == "/"
    response = client.post(URL, sign_up_data())
    assert (response.status_code, response.url) == (302, "/")
    assert User.objects.count() == 1
    assert mailoutbox == []


# --- Sending the confirmation email again ------------------------------------------------------

RESEND = "/accounts/confirm/resend/"
RESENT = "/accounts/confirm/resend/sent/"


@pytest.mark.django_db
def test_resend_sends_a_new_link_that_confirms_the_account(client, mailoutbox):
    UserFactory(email="sam@example.org", is_active=False, awaiting_confirmation=True)

    response = client.post(RESEND, {"email": " Sam@Example.org"})

    assert (response.status_code, response.url) == (302, RESENT)
    (mail,) = mailoutbox
    assert mail.to == ["sam@example.org"]
    assert client.post(confirmation_link(mail)).status_code == 302
    assert User.objects.get(email="sam@example.org").is_active is True


def test_resend_says_the_same_and_sends_nothing_for_an_address_without_a_waiting_account(
    client, bidder, mailoutbox
):
    unknown = client.post(RESEND, {"email": "nobody@example.org"})
    confirmed = client.post(RESEND, {"email": bidder.email})
    bidder.is_active = False
    bidder.save(update_fields=["is_active"])
    deactivated = client.post(RESEND, {"email": bidder.email})

    assert {(r.status_code, r.url) for r in (unknown, confirmed, deactivated)} == {(302, RESENT)}
    assert mailoutbox == []
    page = client.get(RESENT).content.decode()
    assert title("Check your email") in page
    assert "If there is an account waiting to be confirmed for the address you entered" in page


@pytest.mark.django_db
def test_resend_page_asks_for_an_address_in_the_right_format(client):
    page = client.get(RESEND)
    assert title("Send the confirmation email again") in page.content.decode()

    response = client.post(RESEND, {"email": "sam.example.org"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Enter an email address in the correct format, like name@example.com"]
    }


@pytest.mark.django_db
def test_a_new_bidder_is_told_an_organisation_comes_next(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    post_sign_up(client, django_capture_on_commit_callbacks)
    response = client.post(confirmation_link(mailoutbox[0]), follow=True)

    assert response.redirect_chain == [("/accounts/organisation/", 302)]
    html = response.content.decode()
    assert "you need one before you can start a business case" in html
    assert "Set up an organisation" in html
