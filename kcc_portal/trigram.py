"""Trigram indexes for the admin's search, as a migration operation.

The admin's search is `icontains`, which PostgreSQL runs as UPPER(col::text) LIKE UPPER('%…%'):
a GIN trigram index on that very expression answers it (kcc_portal/admin_lists.py). PostgreSQL
only; SQLite searches the plain way. Used by the migrations that add such indexes, so keep its
behaviour stable: a migration that has run must mean the same thing later.
"""

from django.db import migrations


def trigram_indexes(indexes: list[tuple[str, str, str]]) -> migrations.RunPython:
    """Creates (and, reversed, drops) an index `name` on each (name, table, column)."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in indexes:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _, _ in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
