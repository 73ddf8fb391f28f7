"""A database outage is a 503 the person can act on, not a server error."""

import socket

import pytest
from django.db import connection
from django.test import Client


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def database_down(django_db_blocker):
    """The default connection pointed at a port where nothing listens: a real refused
    connection, as while PostgreSQL restarts."""
    with django_db_blocker.unblock():
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = closed_port()
        if connection.vendor == "sqlite":
            pytest.skip("the embedded SQLite cannot be made unreachable this way")
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


def test_a_page_that_needs_the_database_answers_503_while_it_is_unreachable(database_down):
    response = Client(raise_request_exception=False).get("/services/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Sorry, the service is unavailable for a moment" in page
    assert "go back and send it again" in page


def test_a_signed_in_persons_post_answers_503_too(database_down):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32  # the session is read from the database first
    response = client.post("/bids/", {"anything": "1"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_any_other_error_is_still_a_500(settings):
    from django.urls import path

    def broken(request):
        raise ValueError("a real fault")

    import kcc_portal.urls

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {
            "urlpatterns": [path("broken/", broken), *kcc_portal.urls.urlpatterns],
            "handler500": kcc_portal.urls.handler500,
        },
    )
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "unavailable for a moment" not in response.content.decode()
