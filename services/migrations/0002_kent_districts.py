from django.db import migrations
from django.utils.text import slugify

from services.districts import KENT_DISTRICTS


def add_districts(apps, schema_editor):
    District = apps.get_model("services", "District")
    for name in KENT_DISTRICTS:
        District.objects.get_or_create(name=name, defaults={"slug": slugify(name)})


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(add_districts, migrations.RunPython.noop)]
