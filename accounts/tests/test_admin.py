import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import OrganisationFactory, UserFactory
from accounts.models import Organisation, User
from accounts.roles import OFFICER_ROLES, Role

# --- Who can reach the admin ---------------------------------------------------------------------
EMAIL_TAKEN = (
    "An account with this email address already exists \N{EN DASH} sign in or reset your password"
)


@pytest.mark.parametrize("role", [r for r in Role if r in OFFICER_ROLES])
def test_officer_can_open_the_admin(client, user_for_role, role):
    client.force_login(user_for_role(role))

    response = client.get("/admin/")

    assert response.status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r not in OFFICER_ROLES])
def test_bidder_and_member_get_redirected_from_admin_to_its_sign_in(client, user_for_role, role):
    client.force_login(user_for_role(role))

    response = client.get("/admin/")

    assert (response.status_code, response.url) == (302, "/admin/login/?next=/admin/")


def test_every_role_is_either_officer_or_kept_out_of_admin():
    # The two tests above between them cover every role; this fails if a role is added
    # without deciding which side of the line it falls.
    assert {Role.BIDDER, Role.MEMBER} | OFFICER_ROLES == set(Role)


@pytest.mark.django_db
def test_anonymous_visitor_gets_redirected_from_admin_to_its_sign_in(client):
    response = client.get("/admin/")

    assert (response.status_code, response.url) == (302, "/admin/login/?next=/admin/")


def test_reviewer_cannot_open_the_add_service_page(client, reviewer):
    client.force_login(reviewer)

    response = client.get("/admin/services/service/add/")

    assert response.status_code == 403


def test_commissioning_officer_can_open_the_add_service_page(client, commissioning_officer):
    client.force_login(commissioning_officer)

    response = client.get("/admin/services/service/add/")

    assert response.status_code == 200


def test_commissioning_officer_can_view_but_not_change_organisations(client, commissioning_officer):
    organisation = OrganisationFactory()
    client.force_login(commissioning_officer)

    assert client.get("/admin/accounts/organisation/").status_code == 200
    assert client.get("/admin/accounts/organisation/add/").status_code == 403
    # The change page opens read-only for someone with only the view permission.
    page = client.get(f"/admin/accounts/organisation/{organisation.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()


def test_reviewer_cannot_see_users(client, reviewer):
    client.force_login(reviewer)

    assert client.get("/admin/accounts/user/").status_code == 403


# --- The users admin -----------------------------------------------------------------------------


def test_user_list_shows_email_name_organisation_and_roles(client, admin_user):
    organisation = OrganisationFactory(name="Ashford Mutual")
    UserFactory(
        email="kit@example.org", full_name="Kit Carer", organisation=organisation, role=Role.BIDDER
    )
    client.force_login(admin_user)

    response = client.get("/admin/accounts/user/?q=kit")

    assert response.status_code == 200
    (row,) = response.context["cl"].result_list
    assert row.email == "kit@example.org"
    html = response.content.decode()
    assert '<td class="field-full_name">Kit Carer</td>' in html
    assert '<td class="field-organisation nowrap">Ashford Mutual</td>' in html
    assert '<td class="field-role_names">Bidder</td>' in html


def test_user_list_searches_by_full_name(client, admin_user, bidder, reviewer):
    client.force_login(admin_user)

    response = client.get("/admin/accounts/user/?q=Rae")

    assert [u.email for u in response.context["cl"].result_list] == ["reviewer@kent.gov.uk"]


def test_user_list_is_ordered_by_email_and_filters_by_group(
    client, admin_user, bidder, reviewer, moderator
):
    client.force_login(admin_user)

    everyone = client.get("/admin/accounts/user/")
    staff = client.get("/admin/accounts/user/?is_staff__exact=1")

    assert [u.email for u in everyone.context["cl"].result_list] == [
        "admin@kent.gov.uk",
        "bidder@example.org",
        "moderator@kent.gov.uk",
        "reviewer@kent.gov.uk",
    ]
    assert [u.email for u in staff.context["cl"].result_list] == [
        "admin@kent.gov.uk",
        "moderator@kent.gov.uk",
        "reviewer@kent.gov.uk",
    ]
    group_id = reviewer.groups.get().pk
    by_group = client.get(f"/admin/accounts/user/?groups__id__exact={group_id}")
    assert [u.email for u in by_group.context["cl"].result_list] == ["reviewer@kent.gov.uk"]


def _user_list_queries(client, how_many):
    for _ in range(how_many):
        UserFactory(organisation=OrganisationFactory(), role=Role.BIDDER)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/accounts/user/").status_code == 200
    return len(queries)


def test_user_list_queries_do_not_grow_with_the_number_of_users(client, admin_user):
    client.force_login(admin_user)
    client.get("/admin/accounts/user/")  # the first request after signing in renews the session

    with_one = _user_list_queries(client, 1)
    with_three = _user_list_queries(client, 2)

    assert with_three == with_one


def test_admin_adds_a_user_by_email_address(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Officer@Kent.gov.uk",
            "full_name": "New Officer",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )

    user = User.objects.get(full_name="New Officer")
    assert response.status_code == 302
    assert response.url == f"/admin/accounts/user/{user.pk}/change/"
    assert user.email == "new.officer@kent.gov.uk"
    assert user.check_password("a-long-and-unusual-passphrase")


def test_admin_cannot_add_a_second_account_for_an_address_in_another_case(
    client, admin_user, bidder
):
    client.force_login(admin_user)

    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "BIDDER@example.org",
            "full_name": "Duplicate",
            "usable_password": "false",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"email": [EMAIL_TAKEN]}
    assert User.objects.filter(full_name="Duplicate").exists() is False


def test_admin_change_page_shows_the_email_login_fieldsets(client, admin_user, bidder):
    client.force_login(admin_user)

    response = client.get(f"/admin/accounts/user/{bidder.pk}/change/")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields) == [
        "email",
        "password",
        "full_name",
        "organisation",
        "works_in",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
    ]


def test_admin_changes_a_users_role_and_organisation(client, admin_user, bidder):
    from django.contrib.auth.models import Group

    organisation = OrganisationFactory()
    moderators = Group.objects.get(name=Role.MODERATOR)
    client.force_login(admin_user)

    response = client.post(
        f"/admin/accounts/user/{bidder.pk}/change/",
        {
            "email": "bidder@example.org",
            "full_name": "Bea Bidder",
            "organisation": organisation.pk,
            "is_active": "on",
            "is_staff": "on",
            "groups": [moderators.pk],
        },
    )

    assert (response.status_code, response.url) == (302, "/admin/accounts/user/")
    bidder.refresh_from_db()
    assert (bidder.organisation, bidder.is_staff) == (organisation, True)
    assert set(bidder.groups.values_list("name", flat=True)) == {Role.MODERATOR}


# --- The organisations admin ---------------------------------------------------------------------


def test_organisation_list_counts_members_and_filters_by_body_type(client, admin_user):
    parish = OrganisationFactory(
        name="Wye Parish Council", body_type=Organisation.BodyType.PARISH_COUNCIL
    )
    UserFactory.create_batch(2, organisation=parish)
    OrganisationFactory(name="Swale Trust", body_type=Organisation.BodyType.CHARITABLE_TRUST)
    client.force_login(admin_user)

    everyone = client.get("/admin/accounts/organisation/")
    parishes = client.get("/admin/accounts/organisation/?body_type__exact=parish_council")

    assert [(o.name, o.member_count) for o in everyone.context["cl"].result_list] == [
        ("Swale Trust", 0),
        ("Wye Parish Council", 2),
    ]
    assert [o.name for o in parishes.context["cl"].result_list] == ["Wye Parish Council"]


def test_organisation_list_searches_by_name_and_registration_number(client, admin_user):
    OrganisationFactory(name="Dover Day Care", registration_number="1122334")
    OrganisationFactory(name="Thanet Trust", registration_number="9988776")
    client.force_login(admin_user)

    by_name = client.get("/admin/accounts/organisation/?q=dover")
    by_number = client.get("/admin/accounts/organisation/?q=9988776")

    assert [o.name for o in by_name.context["cl"].result_list] == ["Dover Day Care"]
    assert [o.name for o in by_number.context["cl"].result_list] == ["Thanet Trust"]


def test_organisation_page_lists_its_members_read_only(client, admin_user):
    organisation = OrganisationFactory()
    UserFactory(email="pat@example.org", organisation=organisation)
    client.force_login(admin_user)

    response = client.get(f"/admin/accounts/organisation/{organisation.pk}/change/")

    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert [form.original.email for form in inline] == ["pat@example.org"]
    assert 'name="members-0-email"' not in response.content.decode()


# --- Joining codes are for members only ---------------------------------------------------------


@pytest.mark.parametrize("role", sorted(OFFICER_ROLES - {Role.REVIEWER}))
def test_no_officer_sees_a_joining_code_in_the_admin(client, user_for_role, role):
    organisation = OrganisationFactory(name="Swale Youth Trust")
    UserFactory(organisation=organisation)
    officer = user_for_role(role)
    client.force_login(officer)
    pages = [
        "/admin/accounts/organisation/",
        f"/admin/accounts/organisation/{organisation.pk}/change/",
        f"/admin/accounts/organisation/{organisation.pk}/history/",
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Swale Youth Trust" in html, url
        assert organisation.join_code not in html, url
        assert "join_code" not in html and "Join code" not in html, url


def test_reviewers_do_not_see_organisations_at_all(client, reviewer):
    """Reviews may be blind: the organisations' own pages are not the reviewers' to read."""
    organisation = OrganisationFactory()
    client.force_login(reviewer)
    assert client.get("/admin/accounts/organisation/").status_code == 403
    change = f"/admin/accounts/organisation/{organisation.pk}/change/"
    assert client.get(change).status_code == 403


def test_superuser_cannot_search_or_filter_organisations_by_joining_code(client, admin_user):
    organisation = OrganisationFactory()
    client.force_login(admin_user)

    searched = client.get(f"/admin/accounts/organisation/?q={organisation.join_code}")
    assert list(searched.context["cl"].result_list) == []
    for lookup in ("join_code", "join_code__startswith", "join_code__iexact"):
        value = (
            organisation.join_code[:1] if lookup.endswith("startswith") else organisation.join_code
        )
        response = client.get(f"/admin/accounts/organisation/?{lookup}={value}")
        assert response.status_code == 400, lookup
    through_users = client.get(f"/admin/accounts/user/?organisation__join_code={value}")
    assert through_users.status_code == 400


def test_superuser_adds_an_organisation_without_seeing_its_code(client, admin_user):
    client.force_login(admin_user)

    form = client.get("/admin/accounts/organisation/add/").context["adminform"].form
    response = client.post(
        "/admin/accounts/organisation/add/",
        {
            "name": "Dover Day Care",
            "body_type": "voluntary",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )

    assert "join_code" not in form.fields
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Dover Day Care")
    assert len(organisation.join_code) == 8
    assert organisation.join_code not in client.get(response.url).content.decode()
