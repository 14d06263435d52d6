"""What Django and the packages leave in English in the admin, in French.

- The task queue (django-tasks-db): the package names two admin columns in
  plain English (not translatable); its other labels are translated in
  `locale_vendor/` (French for third-party packages that ship none) and its
  app is renamed by `newsroom.apps.TasksConfig`.
- Permissions, as the user and group forms list them: Django names them
  « Can add article » whatever the language; they read « Articles | article |
  ajouter ».

`localise_admin()` registers these admin classes in place of the originals
(called once every admin module has been imported).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

PERMISSION_ACTIONS = {
    "add": _("ajouter"),
    "change": _("modifier"),
    "delete": _("supprimer"),
    "view": _("consulter"),
}


def permission_label(permission):
    """« Articles | article | ajouter »; a permission of our own keeps its French name."""
    action, _sep, _model = permission.codename.partition("_")
    if permission.name.startswith("Can ") and action in PERMISSION_ACTIONS:
        return f"{permission.content_type} | {PERMISSION_ACTIONS[action]}"
    return f"{permission.content_type} | {permission.name}"


class FrenchPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in {"permissions", "user_permissions"}:
            field.label_from_instance = permission_label
        return field


class FrenchGroupAdmin(FrenchPermissionsMixin, GroupAdmin):
    pass


class FrenchUserAdmin(FrenchPermissionsMixin, UserAdmin):
    pass


class FrenchTaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        # The package shows `task_name`, which needs the task's backend to
        # accept the stored options: the stored path always reads.
        "task_path",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=_("trace de l'erreur"))
    def formatted_traceback(self, result):
        return super().formatted_traceback(result)

    @admin.display(description=_("à lancer après"))
    def display_run_after(self, result):
        return super().display_run_after(result)


def localise_admin():
    for model, french_admin in [
        (DBTaskResult, FrenchTaskResultAdmin),
        (Group, FrenchGroupAdmin),
        (User, FrenchUserAdmin),
    ]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, french_admin)
