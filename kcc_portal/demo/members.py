"""The demo member's preferences in the members' area: the districts they follow, with email
alerts on. Idempotent: run as often as you like, it sets the same choices each time."""

from accounts.models import User
from members.models import Preference
from services.models import District

DISTRICTS = ("Thanet", "Swale")


def load(*, member: User) -> Preference:
    preference, _ = Preference.objects.update_or_create(
        user=member, defaults={"email_when_ready": True}
    )
    preference.districts.set(District.objects.filter(name__in=DISTRICTS))
    return preference
