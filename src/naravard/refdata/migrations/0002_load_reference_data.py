"""Load the regions, municipalities and population shipped in the package."""

from django.db import migrations


def load(apps, schema_editor):
    from naravard.refdata.sync import sync_reference_data

    sync_reference_data(
        apps.get_model("refdata", "Region"),
        apps.get_model("refdata", "Municipality"),
        apps.get_model("refdata", "Population"),
    )


def unload(apps, schema_editor):
    for name in ("Population", "Municipality", "Region"):
        apps.get_model("refdata", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("refdata", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
