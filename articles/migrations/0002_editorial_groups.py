"""Create the « Rédaction » and « Modération » groups.

Rédaction writes articles and events; Modération handles comments only. The
comments and events apps grant their own permissions in their migrations.
"""

from django.db import migrations

from newsroom.migration_utils import grant_permissions


def create_groups(apps, schema_editor):
    grant_permissions(
        apps,
        group_name="Rédaction",
        app_label="articles",
        model_names=["article", "section", "tag", "author"],
    )
    apps.get_model("auth", "Group").objects.get_or_create(name="Modération")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
