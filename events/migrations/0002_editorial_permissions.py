"""Give « Rédaction » the permissions on events and everything they hold."""

from django.db import migrations

from newsroom.migration_utils import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        group_name="Rédaction",
        app_label="events",
        model_names=[
            "event",
            "eventseries",
            "eventorganiser",
            "venue",
            "organisation",
            "person",
            "programmeitem",
            "participation",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
