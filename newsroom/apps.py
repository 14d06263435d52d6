from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    """django-tasks-db, named « File de tâches » in the admin (the package
    calls it « Tasks Database Backend »). Once every app is ready, the admin
    screens Django and the package leave in English are replaced by French
    ones (newsroom/admin_french.py)."""

    verbose_name = _("File de tâches")

    def ready(self):
        super().ready()
        # The admin app, listed first, has imported the package's admin by now.
        from newsroom import admin_french

        admin_french.localise_admin()
