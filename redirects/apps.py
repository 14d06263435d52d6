from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedirectsConfig(AppConfig):
    name = "redirects"
    verbose_name = _("Redirections")

    def ready(self):
        from redirects import slugs

        slugs.connect()
