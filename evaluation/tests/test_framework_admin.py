"""Framework actions in the admin run only for the roles that own frameworks."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from evaluation import frameworks
from evaluation.models import Framework

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:evaluation_framework_changelist")


@pytest.fixture
def version_2(commissioning_officer):
    return frameworks.new_version(Framework.objects.current(), by=commissioning_officer)


def run(client, user, action, framework):
    client.force_login(user)
    return client.post(CHANGELIST, {"action": action, "_selected_action": [framework.pk]})


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.REVIEWER])
def test_a_moderator_or_reviewer_cannot_make_a_framework_current(client, role, version_2):
    """The finding: the moderator ran "Make current" and changed how every new case is scored."""
    current = Framework.objects.current()
    user = UserFactory(role=role)
    client.force_login(user)
    assert 'value="make_current"' not in client.get(CHANGELIST).content.decode()
    run(client, user, "make_current", version_2)
    assert Framework.objects.current() == current
    run(client, user, "make_new_version", version_2)
    assert Framework.objects.count() == 2


def test_a_commissioning_officer_makes_a_new_version_and_makes_it_current(
    client, commissioning_officer, version_2
):
    run(client, commissioning_officer, "make_current", version_2)
    assert Framework.objects.current() == version_2
    run(client, commissioning_officer, "make_new_version", version_2)
    assert Framework.objects.filter(version=3).exists()


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.REVIEWER, Role.MEMBER, Role.BIDDER])
def test_the_framework_functions_refuse_other_roles_whoever_calls_them(role, version_2):
    user = UserFactory(role=role)
    with pytest.raises(frameworks.FrameworkError):
        frameworks.make_current(version_2, by=user)
    with pytest.raises(frameworks.FrameworkError):
        frameworks.new_version(version_2, by=user)
    assert Framework.objects.current().version == 1


def test_a_framework_without_criteria_cannot_be_made_current(commissioning_officer):
    empty = Framework.objects.create(name="Empty", version=1)
    with pytest.raises(frameworks.FrameworkError) as e:
        frameworks.make_current(empty, by=commissioning_officer)
    assert "has no criteria" in str(e.value)
