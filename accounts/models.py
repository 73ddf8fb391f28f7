"""Users sign in with their email address; organisations are the bodies that bid."""

import secrets

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
    # Set at sign-up, cleared when the emailed link is followed (accounts/registration.py). Such
    # an account is also inactive, so it cannot sign in; this flag tells it apart from one an
    # officer deactivated, which no emailed link may switch back on.
    awaiting_confirmation = models.BooleanField(
        default=False,
        help_text="Signed up, but has not yet followed the link emailed to confirm the address.",
    )

    # Staff of a service under challenge cannot review a bid for it (evaluation.review).
    works_in = models.ForeignKey(
        "services.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        verbose_name="KCC service they work in",
        help_text="Officers cannot review bids for the service they work in.",
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


def new_join_code() -> str:
    """Eight characters, without look-alikes (0/O, 1/I/L), easy to read out over the phone."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


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
    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    district = models.ForeignKey(
        "services.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="The Kent district where the organisation is based, if it is in Kent.",
    )
    # Financial standing: the statutory contents of a bid ask for the bidder's financial resources.
    annual_turnover = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reserves = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Shared by members with colleagues who want to join; changed with "new code" to revoke it.
    join_code = models.CharField(max_length=16, unique=True, default=new_join_code)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="organisation_name_idx")]

    def __str__(self):
        return self.name
