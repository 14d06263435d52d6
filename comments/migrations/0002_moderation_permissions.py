"""Give « Modération » the comment permissions; « Rédaction » gets none.

`moderate_comment` is the permission that shows commenters' email and IP
address and opens the privacy tools.
"""

from django.db import migrations

from newsroom.migration_utils import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps, group_name="Modération", app_label="comments", model_names=["comment"], actions=("view", "change", "delete", "moderate")
    )
    grant_permissions(apps, group_name="Modération", app_label="comments", model_names=["moderationword"])
    grant_permissions(
        apps, group_name="Modération", app_label="comments", model_names=["commentstatechange"], actions=("view",)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
