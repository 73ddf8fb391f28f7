"""The members' area keeps no records of its own about cases (it reads evaluation's); only what
each member has chosen to hear about."""

from django.conf import settings
from django.db import models


class Preference(models.Model):
    """A member's choices: the districts they follow, and whether to be emailed when a decision
    pack for a case in one of them is ready (members/notifications.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_preference"
    )
    districts = models.ManyToManyField("services.District", blank=True, related_name="+")
    email_when_ready = models.BooleanField(
        "email me when a decision pack is ready",
        default=False,
        help_text="For a case about a service in one of the chosen districts, or county-wide.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Preferences of {self.user}"
