from django.db import migrations

from kcc_portal.trigram import trigram_indexes

# The admin's search is `icontains`, which PostgreSQL runs as UPPER(col::text) LIKE UPPER('%…%'):
# a trigram index on that very expression answers it (kcc_portal/admin_lists.py): here for the
# assignments' search (a reviewer's declared interest). PostgreSQL only; SQLite searches the
# plain way.
TRIGRAM = [
    ("assignment_interest_trgm", "evaluation_assignment", "interest"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0007_list_indexes"),
    ]

    operations = [
        trigram_indexes(TRIGRAM),
    ]
