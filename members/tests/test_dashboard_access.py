"""Who reaches the pipeline dashboard and its CSV: members, administrators and the officers who
read every case; not reviewers, bidders, the bidder of a case, nor anonymous visitors."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from members.factories import DecidedCaseFactory

pytestmark = pytest.mark.django_db

URLS = [reverse("members:dashboard"), reverse("members:dashboard-csv")]
ADMIN_LINK = 'href="/members/dashboard/">Pipeline dashboard</a>'


@pytest.mark.parametrize(
    "role", [Role.MEMBER, Role.ADMIN, Role.COMMISSIONING_OFFICER, Role.MODERATOR]
)
def test_members_admins_and_officers_who_read_every_case_reach_it(client, role):
    DecidedCaseFactory()
    client.force_login(UserFactory(role=role))
    page, download = (client.get(url) for url in URLS)
    assert (page.status_code, download.status_code) == (200, 200)
    assert "Pipeline dashboard" in page.content.decode()
    assert download["Content-Disposition"].startswith("attachment; ")


def test_a_superuser_without_a_role_reaches_it(client):
    client.force_login(UserFactory(role=None, is_superuser=True, is_staff=True))
    assert [client.get(url).status_code for url in URLS] == [200, 200]


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.BIDDER])
def test_reviewers_and_bidders_get_403(client, role):
    client.force_login(UserFactory(role=role))
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You cannot see the pipeline dashboard" in response.content.decode()
        assert "Content-Disposition" not in response


def test_the_bidder_of_a_decided_case_gets_403(client):
    case = DecidedCaseFactory()
    client.force_login(case.created_by)
    assert [client.get(url).status_code for url in URLS] == [403, 403]


def test_an_inactive_member_is_sent_to_sign_in(client):
    # Django's ModelBackend refuses an inactive user's session: they are anonymous again.
    client.force_login(UserFactory(role=Role.MEMBER))
    UserFactory._meta.model.objects.update(is_active=False)
    for url in URLS:
        assert client.get(url).status_code == 302


def test_anonymous_is_sent_to_sign_in_and_back(client):
    sign_in = reverse("accounts:sign-in")
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{sign_in}?next={url}"


def test_only_the_members_pages_are_linked_for_members(client, member, commissioning_officer):
    client.force_login(member)
    html = client.get(URLS[0]).content.decode()
    assert 'aria-label="Members’ area"' in html
    assert 'href="/members/dashboard/" aria-current="page"' in html
    # An officer cannot use the rest of the members' area, so is not sent there.
    client.force_login(commissioning_officer)
    html = client.get(URLS[0]).content.decode()
    assert 'aria-label="Members’ area"' not in html


def test_the_members_case_list_links_to_the_dashboard(client, member):
    client.force_login(member)
    assert (
        'href="/members/dashboard/">Pipeline dashboard</a>'
        in client.get(reverse("members:list")).content.decode()
    )


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.ADMIN, True),
        (Role.COMMISSIONING_OFFICER, True),
        (Role.MODERATOR, True),
        (Role.REVIEWER, False),
    ],
)
def test_the_admin_index_offers_the_dashboard_to_those_who_may_see_it(client, role, offered):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert (ADMIN_LINK in response.content.decode()) is offered
