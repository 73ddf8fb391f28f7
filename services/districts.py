"""Kent's twelve district and borough council areas: fixed reference data, loaded by migration."""

KENT_DISTRICTS = (
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone and Hythe",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
)


def ensure_districts(**kwargs) -> None:
    """Creates any of the twelve districts that is missing. Connected to post_migrate (like the
    roles), so every database has them: a production one that never ran seed_demo, and a test
    database after a transactional test has flushed it."""
    from django.utils.text import slugify

    from services.models import District

    for name in KENT_DISTRICTS:
        District.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
