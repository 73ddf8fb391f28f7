import factory

from accounts.models import Organisation, User
from accounts.roles import OFFICER_ROLES, Role

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Kent Community Group {n}")
    body_type = Organisation.BodyType.VOLUNTARY


class UserFactory(factory.django.DjangoModelFactory):
    """A user holding `role` (a group); officers are staff and an admin is a superuser."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)
    role = Role.BIDDER  # not a model field: _create turns it into a group membership
    is_staff = factory.LazyAttribute(lambda o: o.role in OFFICER_ROLES)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.contrib.auth.models import Group

        role = kwargs.pop("role")
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user
