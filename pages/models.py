"""The pages readers trust the site by: legal notice, privacy policy,
accessibility statement, contact. Each exists once (created by a migration),
is written by the editors in the admin and linked from every page's footer."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.forms import BODY_EXTENSIONS
from articles.sanitize import sanitize_html
from newsroom import cache as page_cache


class PageKind(models.TextChoices):
    # The value is the page's address: /mentions-legales/, /confidentialite/…
    LEGAL = "mentions-legales", _("Mentions légales")
    PRIVACY = "confidentialite", _("Politique de confidentialité")
    ACCESSIBILITY = "accessibilite", _("Déclaration d'accessibilité")
    CONTACT = "contact", _("Contact")


class Page(models.Model):
    kind = models.CharField(_("page"), max_length=30, choices=PageKind.choices, unique=True, editable=False)
    title = models.CharField(_("titre"), max_length=150)
    body = ProseEditorField(
        _("texte"),
        blank=True,
        config={"extensions": BODY_EXTENSIONS},
        sanitize=True,
        help_text=_(
            "Intertitres, paragraphes, listes et liens. La politique de confidentialité affiche en plus, "
            "d'elle-même, les durées de conservation et l'adresse de contact réglées sur le serveur."
        ),
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("page du site")
        verbose_name_plural = _("pages du site")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever path writes the text (admin, demo, shell), only allow-listed HTML is stored.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)
        page_cache.trust_page_changed(self)

    save.alters_data = True

    def get_absolute_url(self):
        return reverse(f"pages:{self.kind}")
