"""Sessions slide (they last from the last request) without a database write on every request."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kcc_portal.sessions import RENEWED_AT


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def get(client, path="/services/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, session_writes(queries.captured_queries)


def test_a_signed_in_session_is_not_written_on_every_request(client, bidder):
    client.force_login(bidder)
    get(client)  # the first request after sign-in may renew it
    for _ in range(3):
        response, writes = get(client)
        assert writes == []
        assert "sessionid" not in response.cookies  # nothing new to tell the browser


def test_a_session_last_renewed_long_ago_is_renewed_and_its_expiry_moves_on(
    client, bidder, settings
):
    client.force_login(bidder)
    get(client)
    key = client.session.session_key
    session = client.session
    session[RENEWED_AT] = time.time() - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.filter(pk=key).update(expire_date=soon)

    response, writes = get(client)

    assert len(writes) == 1
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_anonymous_visitors_get_no_session(client):
    response, writes = get(client)
    assert writes == []
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
