"""Old addresses that still answer, and the addresses readers could not find.

Why not `django.contrib.redirects`: it needs `django.contrib.sites` (a Site
row whose domain would repeat `SITE_URL`), it knows nothing of slug changes,
so chains (A→B→C) would answer with two hops, and it has no way to see the
404s readers meet. Ours is one table looked up by its unique `old_path`, only
when a page answers 404.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_PATH = 500


def validate_internal_path(value):
    if not value.startswith("/") or value.startswith("//") or any(c in value for c in "\r\n\t "):
        raise ValidationError(
            _("Indiquez une adresse du site commençant par « / », par exemple /articles/mon-article/.")
        )


class RedirectKind(models.TextChoices):
    SLUG_CHANGE = "slug", _("Changement d'adresse")
    MANUAL = "manual", _("Manuelle")


class Redirect(models.Model):
    old_path = models.CharField(
        _("ancienne adresse"),
        max_length=MAX_PATH,
        unique=True,
        validators=[validate_internal_path],
        help_text=_("Chemin qui ne répond plus, par exemple /articles/ancien-titre/."),
    )
    new_path = models.CharField(
        _("nouvelle adresse"),
        max_length=MAX_PATH,
        validators=[validate_internal_path],
        help_text=_("Page du site vers laquelle envoyer les lecteurs (redirection permanente, 301)."),
    )
    kind = models.CharField(
        _("origine"), max_length=10, choices=RedirectKind.choices, default=RedirectKind.MANUAL, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("redirection")
        verbose_name_plural = _("redirections")
        indexes = [
            models.Index(fields=["new_path"], name="redirect_new_path_idx"),
            models.Index(fields=["-created_at", "-id"], name="redirect_newest_idx"),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"


class NotFoundPath(models.Model):
    """How often readers met a 404 at one address. Counted in the cache on
    the request and added here by `flush_not_found_counts` (see
    `redirects/tracking.py`), so that a flood of 404s is not a flood of
    writes."""

    path = models.CharField(_("adresse"), max_length=MAX_PATH, unique=True)
    hits = models.PositiveIntegerField(_("visites"), default=0)
    first_seen_at = models.DateTimeField(_("vue la première fois"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("vue la dernière fois"))

    class Meta:
        ordering = ["-hits", "-id"]
        verbose_name = _("adresse introuvable")
        verbose_name_plural = _("adresses introuvables")
        indexes = [models.Index(fields=["-hits", "-id"], name="notfound_most_hit_idx")]

    def __str__(self):
        return self.path
