from django.db import migrations

from kcc_portal.trigram import trigram_indexes

# The admin's search is `icontains`, which PostgreSQL runs as UPPER(col::text) LIKE UPPER('%…%'):
# a trigram index on that very expression answers it (kcc_portal/admin_lists.py): here for the
# services' admin search and the case search's service names. PostgreSQL only; SQLite searches
# the plain way.
TRIGRAM = [
    ("service_name_trgm", "services_service", "name"),
    ("service_summary_trgm", "services_service", "summary"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0002_catalogue_at_scale"),
    ]

    operations = [
        trigram_indexes(TRIGRAM),
    ]
