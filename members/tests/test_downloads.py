"""Downloading a decision pack: the file, its headers, and the record on the case's timeline."""

import pytest
from django.urls import reverse

from bids.models import Event
from members.factories import DecisionPackFactory, pack_bytes

pytestmark = pytest.mark.django_db


def pack_url(case, version):
    return reverse("members:pack", kwargs={"public_id": case.public_id, "version": version})


def test_a_member_downloads_the_pack_as_a_safely_named_uncached_pdf(client, member, decided):
    DecisionPackFactory(case=decided, version=2)
    client.force_login(member)

    response = client.get(pack_url(decided, 2))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pack_bytes(2)
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="RTB-2026-0001-decision-pack-v2.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_earlier_version_downloads_its_own_file(client, member, decided):
    DecisionPackFactory(case=decided, version=2)
    client.force_login(member)
    response = client.get(pack_url(decided, 1))
    assert b"".join(response.streaming_content) == pack_bytes(1)
    assert 'filename="RTB-2026-0001-decision-pack-v1.pdf"' in response["Content-Disposition"]


def test_every_download_is_an_event_on_the_cases_timeline(client, member, decided):
    pack = decided.packs.get()
    client.force_login(member)

    client.get(pack_url(decided, 1))
    client.get(pack_url(decided, 1))

    events = list(Event.objects.filter(case=decided, kind=Event.Kind.PACK_DOWNLOADED))
    assert len(events) == 2
    assert {(e.actor, e.note) for e in events} == {(member, f"Version 1 (SHA-256 {pack.sha256})")}
    assert events[0].get_kind_display() == "Decision pack downloaded"


def test_the_bidder_never_sees_members_downloads_on_their_timeline(client, member, decided):
    client.force_login(member)
    client.get(pack_url(decided, 1))
    assert Event.Kind.PACK_DOWNLOADED not in Event.BIDDER_SEES

    client.force_login(decided.created_by)
    response = client.get(decided.get_absolute_url())

    assert response.status_code == 200
    assert "Decision pack downloaded" not in response.content.decode()
    assert "SHA-256" not in response.content.decode()


def test_a_strange_reference_still_gives_a_safe_file_name(client, member, decided):
    decided.reference = 'RTB/2026"0001\r\n'
    decided.save()
    client.force_login(member)
    response = client.get(pack_url(decided, 1))
    assert (
        response["Content-Disposition"] == 'attachment; filename="RTB20260001-decision-pack-v1.pdf"'
    )
