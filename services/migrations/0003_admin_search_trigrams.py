from django.db import migrations

# The admin's search is `icontains`, which PostgreSQL runs as UPPER(col::text) LIKE UPPER('%…%'):
# a trigram index on that very expression answers it (kcc_portal/admin_lists.py): here for the
# services' admin search and the case search's service names. PostgreSQL only; SQLite searches
# the plain way.
TRIGRAM = [
    ("service_name_trgm", "services_service", "name"),
    ("service_summary_trgm", "services_service", "summary"),
]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0002_catalogue_at_scale"),
    ]

    operations = [
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
