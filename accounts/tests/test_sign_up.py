import pytest
from django.contrib.messages import get_messages

from accounts.forms import SignUpForm
from accounts.models import User
from accounts.roles import Role

URL = "/accounts/sign-up/"
PASSWORD = "a-long-and-unusual-passphrase"
EMAIL_TAKEN = (
    "An account with this email address already exists \N{EN DASH} sign in or reset your password"
)


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


@pytest.mark.django_db
def test_sign_up_creates_a_bidder_signs_them_in_and_goes_home(client):
    response = client.post(URL, sign_up_data())

    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get()
    assert user.email == "sam@example.org"
    assert user.full_name == "Sam Sign-Up"
    assert user.check_password(PASSWORD)
    assert user.roles == {Role.BIDDER}
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Your account has been created and you are signed in"
    ]


@pytest.mark.django_db
def test_sign_up_goes_on_to_a_next_page_on_this_site(client):
    response = client.post(f"{URL}?next=/services/", sign_up_data())

    assert response.status_code == 302
    assert response.url == "/services/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_sign_up_ignores_a_next_page_on_another_site(client, next_url):
    response = client.post(URL, {**sign_up_data(), "next": next_url})

    assert response.status_code == 302
    assert response.url == "/"


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
def test_sign_up_refuses_an_email_address_that_differs_from_an_account_only_in_case(client, bidder):
    response = client.post(URL, sign_up_data(email="BIDDER@example.org"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [EMAIL_TAKEN]}
    assert User.objects.count() == 1


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
def test_sign_up_that_loses_a_race_for_the_address_is_told_the_account_exists(client, monkeypatch):
    # Two requests for one address at once both pass the form's checks; the database's
    # unique constraint refuses the second. Simulated by skipping the form's checks.
    User.objects.create_user(email="sam@example.org", password=PASSWORD, full_name="First")
    monkeypatch.setattr(SignUpForm, "clean_email", lambda form: form.cleaned_data["email"].lower())
    monkeypatch.setattr(SignUpForm, "validate_unique", lambda form: None)
    monkeypatch.setattr(User, "validate_constraints", lambda user, exclude=None: None)

    response = client.post(URL, sign_up_data())

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [EMAIL_TAKEN]}
    assert list(User.objects.values_list("full_name", flat=True)) == ["First"]
    assert "_auth_user_id" not in client.session


def test_signed_in_user_gets_redirected_home_from_sign_up(client, bidder):
    client.force_login(bidder)

    assert client.get(URL).url == "/"
    response = client.post(URL, sign_up_data())
    assert (response.status_code, response.url) == (302, "/")
    assert User.objects.count() == 1
