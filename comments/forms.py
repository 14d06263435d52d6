"""The reader's comment form and its anti-abuse checks.

Like django-contrib-comments, the form signs its target article and the time
it was displayed (`salted_hmac`, checked with `constant_time_compare`) and
carries a honeypot field. This replaces Django's CSRF token for this one
anonymous form, so that the article page holds no per-reader token or cookie
and stays shared-cacheable (see README, "Comments and moderation").
"""

import time

from django import forms
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comments.models import Comment

TOKEN_SALT = "newsroom.comments.form-token"  # noqa: S105 (a salt, not a secret)


def sign_target(article_id, timestamp):
    return salted_hmac(TOKEN_SALT, f"{article_id}:{timestamp}", algorithm="sha256").hexdigest()


def security_data(article_id, timestamp=None):
    """The hidden fields of a fresh form for `article_id`."""
    timestamp = str(int(time.time() if timestamp is None else timestamp))
    return {
        "article": str(article_id),
        "timestamp": timestamp,
        "security_hash": sign_target(article_id, timestamp),
    }


class FormRefused(Exception):
    """The hidden fields were tampered with or the honeypot was filled: the
    post is refused as a whole (never an honest reader's case)."""


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Nom"),
        max_length=80,
        error_messages={
            "required": _("Indiquez votre nom."),
            "max_length": _(
                "Votre nom ne doit pas dépasser %(limit_value)d caractères (il en a %(show_value)d)."
            ),
        },
    )
    email = forms.EmailField(
        label=pgettext_lazy("formulaire de commentaire", "E-mail"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
            "max_length": _("Votre adresse e-mail ne doit pas dépasser %(limit_value)d caractères."),
        },
    )
    text = forms.CharField(
        label=_("Commentaire"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Écrivez votre commentaire."),
            "max_length": _(
                "Votre commentaire ne doit pas dépasser %(limit_value)d caractères (il en a %(show_value)d)."
            ),
        },
    )
    # Honeypot: hidden from people by CSS, filled by naive robots.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)
    article = forms.IntegerField(widget=forms.HiddenInput)
    timestamp = forms.IntegerField(widget=forms.HiddenInput)
    security_hash = forms.CharField(min_length=40, max_length=64, widget=forms.HiddenInput)

    field_order = ["name", "email", "text", "website"]

    def __init__(self, *args, ip_address=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ip_address = ip_address
        self.flooded = False
        for name in ("name", "email", "text"):
            self.fields[name].widget.attrs.update({"required": True, "class": "form-control"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def annotate_errors(self):
        """Link each visible field to its error and to the notice
        (`aria-describedby`) and flag it `aria-invalid`."""
        for name in ("name", "email", "text"):
            attrs = self.fields[name].widget.attrs
            described_by = ["comment-notice"]
            if self.is_bound and name in self.errors:
                attrs["aria-invalid"] = "true"
                described_by.insert(0, f"id_{name}_error")
            attrs["aria-describedby"] = " ".join(described_by)

    def check_security(self):
        """Refuse tampered hidden fields and a filled honeypot (raises FormRefused)."""
        data = self.data
        if data.get("website"):
            raise FormRefused(_("Votre commentaire n'a pas pu être envoyé."))
        article, timestamp = data.get("article", ""), data.get("timestamp", "")
        expected = sign_target(article, timestamp)
        if not (article.isdigit() and timestamp.isdigit()):
            raise FormRefused(_("Le formulaire a été modifié : votre commentaire n'a pas été envoyé."))
        if not constant_time_compare(data.get("security_hash", ""), expected):
            raise FormRefused(_("Le formulaire a été modifié : votre commentaire n'a pas été envoyé."))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Écrivez votre commentaire."), code="required")
        return text

    def clean(self):
        cleaned = super().clean()
        timestamp = cleaned.get("timestamp")
        if timestamp is not None:
            age = time.time() - timestamp
            if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
                raise forms.ValidationError(
                    _("Vous avez envoyé le formulaire trop vite. Relisez-vous puis envoyez-le à nouveau."),
                    code="too_fast",
                )
            if age > settings.COMMENTS_FORM_MAX_AGE_SECONDS:
                raise forms.ValidationError(
                    _(
                        "Le formulaire a expiré. Votre texte est conservé : "
                        "vérifiez-le puis envoyez-le à nouveau."
                    ),
                    code="expired",
                )
        email, text = cleaned.get("email"), cleaned.get("text")
        if not (email and text):
            return cleaned
        recent = Comment.objects.recent_from(
            ip_address=self.ip_address, email=email, seconds=settings.COMMENTS_FLOOD_SECONDS
        )
        if recent.exists():
            self.flooded = True
            raise forms.ValidationError(
                _(
                    "Vous venez déjà d'envoyer un commentaire. Patientez quelques secondes "
                    "avant d'en envoyer un autre : votre texte est conservé."
                ),
                code="flood",
            )
        duplicate = Comment.objects.by_email(email).filter(article_id=cleaned.get("article"), text=text)
        if duplicate.exists():
            raise forms.ValidationError(
                _("Vous avez déjà envoyé ce commentaire sur cet article."), code="duplicate"
            )
        return cleaned
