import django.contrib.postgres.search
from django.db import migrations, models

import services.models

# The catalogue's full-text search (services/search.py) on PostgreSQL: a GIN index on the stored
# search document. Not in Service.Meta.indexes because SQLite, the embedded default, has no such
# index (it keeps a plain substring search).
SEARCH_INDEX = "service_search_idx"


def _search_index():
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(fields=["search_document"], name=SEARCH_INDEX)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("services", "Service"), _search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("services", "Service"), _search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="service",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=services.models.SearchDocument(),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["net_budget", "name"], name="service_budget_low_idx"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(
                models.OrderBy(models.F("net_budget"), descending=True),
                models.F("name"),
                name="service_budget_high_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["bid_window_closes"], name="service_closes_idx"),
        ),
        migrations.RunPython(add_search_index, remove_search_index),
    ]
