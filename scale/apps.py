from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """Tools to measure the site at a real archive's size: `generate_scale_data`
    and the data behind `make bench-scale` (no models, no pages)."""

    name = "scale"
    verbose_name = _("Mesures à grande échelle")
