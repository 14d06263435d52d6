from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Commentaires")

    def ready(self):
        # Connects the signals that drop the cached word lists when an entry changes.
        from comments import moderation  # noqa: F401
