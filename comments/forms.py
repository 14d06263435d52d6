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

from newsroom.text import control_characters, is_control

FIELD_LIMITS = {"name": 80, "email": 254, "text": 3000}
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
        max_length=FIELD_LIMITS["name"],
        error_messages={
            "required": _("Indiquez votre nom."),
            "max_length": _(
                "Votre nom ne doit pas dépasser %(limit_value)d caractères (il en a %(show_value)d)."
            ),
        },
    )
    email = forms.EmailField(
        label=pgettext_lazy("formulaire de commentaire", "E-mail"),
        max_length=FIELD_LIMITS["email"],
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
            "max_length": _("Votre adresse e-mail ne doit pas dépasser %(limit_value)d caractères."),
        },
    )
    text = forms.CharField(
        label=_("Commentaire"),
        max_length=FIELD_LIMITS["text"],
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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

    @property
    def honeypot_filled(self):
        return bool(self.data.get("website"))

    def check_security(self):
        """Refuse tampered hidden fields (raises FormRefused). The honeypot is
        looked at apart (`honeypot_filled`): a browser's autofill can fill it,
        so the reader gets the form back rather than a refusal."""
        data = self.data
        article, timestamp = data.get("article", ""), data.get("timestamp", "")
        if not (article.isdigit() and timestamp.isdigit()):
            raise FormRefused(_("Le formulaire a été modifié : votre commentaire n'a pas été envoyé."))
        if not constant_time_compare(data.get("security_hash", ""), sign_target(article, timestamp)):
            raise FormRefused(_("Le formulaire a été modifié : votre commentaire n'a pas été envoyé."))

    def refuse_honeypot(self):
        self.add_error(
            None,
            _(
                "Un champ caché du formulaire a été rempli, sans doute par le remplissage automatique "
                "de votre navigateur. Vérifiez votre commentaire puis envoyez-le à nouveau."
            ),
        )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if control_characters(name):
            raise forms.ValidationError(
                _("Votre nom ne peut contenir ni retour à la ligne ni caractère de contrôle."),
                code="control_characters",
            )
        return name

    def clean_text(self):
        # Line breaks and tabs are the reader's; other control characters are
        # dropped (they only ever come from copy-paste accidents or attacks).
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        text = "".join(char for char in text if char in "\n\t" or not is_control(char)).strip()
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
        return cleaned

    def prepare_for_echo(self):
        """What the page sends back of a refused post: each field cut to its
        limit (a 60 KB post never comes back whole; the error still gives its
        length) and the honeypot emptied, so that sending again works."""
        self.errors  # noqa: B018 (validate the full data before cutting it)
        self.data = kept_fields(self.data)
        self.data["website"] = ""


def kept_fields(data):
    """The reader's name, email and text from posted `data`, each cut to its
    field's limit (a mutable QueryDict-like dict)."""
    kept = data.copy() if hasattr(data, "copy") else dict(data)
    for name, limit in FIELD_LIMITS.items():
        value = kept.get(name)
        if isinstance(value, str) and len(value) > limit:
            kept[name] = value[:limit]
    return kept
