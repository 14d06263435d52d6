"""Helpers for data migrations that give groups their permissions.

Django creates permissions after `migrate` (post_migrate); a data migration
that runs on a fresh database must create them first.
"""

from django.contrib.auth.management import create_permissions


def grant_permissions(
    apps, *, group_name, app_label, model_names, actions=("add", "change", "delete", "view")
):
    """Create `group_name` if needed and give it `actions` on `model_names` of `app_label`."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    codenames = [f"{action}_{model}" for model in model_names for action in actions]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
