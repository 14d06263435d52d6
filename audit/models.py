"""The one journal of editorial and moderation actions.

A dedicated model rather than Django's `LogEntry`: `LogEntry` is written only
by the admin's own add/change/delete views (a bulk action, a service, a
command or a comment decision never reaches it), its action is one of three
flags, and its change message is free text. Here each row names an action
from a fixed list, is written by the service that performs the action, in the
same transaction, and is indexed for the journal's filters.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SUBMIT = "submit", _("Soumission pour relecture")
    PUBLISH = "publish", _("Publication")
    SCHEDULE = "schedule", _("Programmation")
    UNPUBLISH = "unpublish", _("Dépublication")
    SIGNIFICANT_UPDATE = "significant_update", _("Modification significative")
    CORRECTION = "correction", _("Rectificatif")
    RESTORE = "restore", _("Restauration d'une version")
    SLUG_CHANGE = "slug_change", _("Changement d'adresse")
    REDIRECT = "redirect", _("Redirection manuelle")
    DUPLICATE = "duplicate", _("Duplication d'une édition")
    DELETE = "delete", _("Suppression")
    COMMENT_APPROVE = "comment_approve", _("Commentaire approuvé")
    COMMENT_REJECT = "comment_reject", _("Commentaire rejeté")
    COMMENT_SPAM = "comment_spam", _("Commentaire marqué indésirable")
    COMMENT_REPLY = "comment_reply", _("Réponse de la rédaction")
    COMMENT_UNDO = "comment_undo", _("Décision de modération annulée")
    PRIVACY_EXPORT = "privacy_export", _("Export des données d'un lecteur")
    PRIVACY_ANONYMISE = "privacy_anonymise", _("Anonymisation des données d'un lecteur")


class AuditEntry(models.Model):
    """Who did what, when, to which object. Rows are only ever added (by
    `audit.services.record_action`); the admin shows them read-only."""

    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(
        _("nom de la personne"),
        max_length=150,
        blank=True,
        help_text=_("Gardé si le compte est supprimé ; vide pour une commande automatique."),
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type d'objet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    object_repr = models.CharField(_("objet"), max_length=250, blank=True)
    bulk = models.BooleanField(
        _("action groupée"), default=False, help_text=_("Faite sur une sélection depuis une liste.")
    )
    details = models.JSONField(
        _("détails"),
        default=dict,
        blank=True,
        help_text=_(
            "Ce qui a changé (ancienne et nouvelle adresse, nombre d'éléments…) ; jamais d'e-mail en clair."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_newest_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — {self.object_repr}"
