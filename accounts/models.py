"""Users sign in with their e-mail address; organisations are the bodies that bid."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from accounts.roles import OFFICER_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # E-mail addresses are compared without regard to case.
        return self.get(email__iexact=username)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> set[str]:
        """The names of the user's role groups (cached per instance: navigation asks often)."""
        if not hasattr(self, "_roles"):
            self._roles = set(self.groups.values_list("name", flat=True))
        return self._roles

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_officer(self) -> bool:
        return bool(self.roles & OFFICER_ROLES) or self.is_superuser


class Organisation(models.Model):
    class BodyType(models.TextChoices):
        KCC_EMPLOYEES = "kcc_employees", "Two or more KCC employees"
        VOLUNTARY = "voluntary", "Voluntary or community body"
        CHARITABLE_TRUST = "charitable_trust", "Charitable trust"
        PARISH_COUNCIL = "parish_council", "Parish council"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
        PRIVATE_COMPANY = "private_company", "Private company"
        PUBLIC_BODY = "public_body", "Public body"
        CONSORTIUM = "consortium", "Consortium"

    name = models.CharField(max_length=200)
    body_type = models.CharField(max_length=32, choices=BodyType.choices)
    registration_number = models.CharField(
        max_length=32,
        blank=True,
        help_text="Companies House or Charity Commission number, where the body has one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
