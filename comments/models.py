from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

NEWSROOM_NAME = _("La rédaction")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Approuvé")
    REJECTED = "rejected", _("Rejeté")
    SPAM = "spam", _("Indésirable")


# Which state may follow which: everything else is refused by `transition_to`.
ALLOWED_TRANSITIONS = {
    CommentStatus.PENDING: {CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.SPAM},
    CommentStatus.APPROVED: {CommentStatus.REJECTED},
    CommentStatus.REJECTED: {CommentStatus.APPROVED},
    CommentStatus.SPAM: set(),
}


class HoldReason(models.TextChoices):
    LINKS = "links", _("Trop de liens")
    MODERATED_WORD = "moderated_word", _("Mot de la liste de modération")
    DUPLICATE = "duplicate", _("Doublon probable")
    DISALLOWED_WORD = "disallowed_word", _("Mot interdit (indésirable)")


class InvalidTransition(Exception):
    """A moderator asked for a change the workflow does not allow (for
    example approving a comment already approved by someone else)."""


class CommentQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=CommentStatus.PENDING)

    def published(self):
        return self.filter(status=CommentStatus.APPROVED)

    def for_article_page(self, article):
        """Published reader comments of `article`, oldest first, with their
        published newsroom replies prefetched (one extra query per page)."""
        replies = Comment.objects.published().order_by("created_at", "pk")
        return (
            self.published()
            .filter(article=article, parent__isnull=True)
            .order_by("created_at", "pk")
            .prefetch_related(models.Prefetch("replies", queryset=replies, to_attr="published_replies"))
        )

    def by_email(self, email):
        return self.filter(author_email__iexact=email.strip())

    def recent_from(self, *, ip_address, email, seconds):
        since = timezone.now() - timezone.timedelta(seconds=seconds)
        same_author = models.Q(author_email__iexact=email)
        if ip_address:
            same_author |= models.Q(ip_address=ip_address)
        return self.filter(same_author, created_at__gte=since)


class Comment(models.Model):
    article = models.ForeignKey(
        "articles.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("en réponse à"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text=_("Le commentaire auquel la rédaction répond."),
    )
    author_name = models.CharField(_("nom"), max_length=80)
    author_email = models.EmailField(
        _("e-mail"), max_length=254, blank=True, help_text=_("Jamais affiché publiquement.")
    )
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    text = models.TextField(_("commentaire"), max_length=3000)
    is_newsroom_reply = models.BooleanField(
        _("réponse de la rédaction"), default=False, help_text=_("Publiée sous le nom « La rédaction ».")
    )
    status = models.CharField(
        _("état"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    hold_reasons = models.JSONField(
        _("motifs de mise en attente"),
        default=list,
        blank=True,
        help_text=_("Pourquoi ce commentaire demande une attention particulière."),
    )
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modéré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        permissions = [
            ("moderate_comment", _("Modérer les commentaires et voir l'e-mail et l'adresse IP des auteurs")),
        ]
        indexes = [
            models.Index(fields=["article", "status", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return Truncator(self.text).chars(60)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def get_admin_url(self):
        return reverse("admin:comments_comment_change", args=[self.pk])

    @property
    def anchor(self):
        return f"commentaire-{self.pk}"

    @property
    def is_public(self):
        return self.status == CommentStatus.APPROVED

    @property
    def display_name(self):
        return str(NEWSROOM_NAME) if self.is_newsroom_reply else self.author_name

    def transition_to(self, status, *, by):
        """Change the state of this row and record who did it and when.
        Raises `InvalidTransition` when the workflow does not allow it."""
        if status not in ALLOWED_TRANSITIONS[CommentStatus(self.status)]:
            raise InvalidTransition(f"{self.status} → {status}")
        self.status = status
        self.moderated_by = by
        self.moderated_at = timezone.now()
        self.save(update_fields=["status", "moderated_by", "moderated_at"])
        CommentStateChange.objects.create(comment=self, status=status, changed_by=by)

    transition_to.alters_data = True


class CommentStateChange(models.Model):
    """The audit trail: one row per moderation decision."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("commentaire"), on_delete=models.CASCADE, related_name="state_changes"
    )
    status = models.CharField(_("nouvel état"), max_length=20, choices=CommentStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("changement d'état")
        verbose_name_plural = _("changements d'état")

    def __str__(self):
        return f"{self.get_status_display()} — {self.changed_at:%d/%m/%Y %H:%M}"


class WordListKind(models.TextChoices):
    MODERATE = "moderate", _("À modérer (mise en attente signalée)")
    DISALLOW = "disallow", _("Interdit (classé indésirable)")


class ModerationWord(models.Model):
    """An entry of the moderation list or of the disallowed list, matched
    case-insensitively in the name, the email and the text of a comment."""

    word = models.CharField(
        _("mot ou expression"),
        max_length=100,
        help_text=_("Recherché sans tenir compte des majuscules, dans le nom, l'e-mail et le texte."),
    )
    kind = models.CharField(
        _("liste"),
        max_length=20,
        choices=WordListKind.choices,
        default=WordListKind.MODERATE,
        help_text=_(
            "« À modérer » signale le commentaire ; « Interdit » le classe directement en indésirable."
        ),
    )

    class Meta:
        ordering = ["kind", "word"]
        verbose_name = _("mot surveillé")
        verbose_name_plural = _("mots surveillés")
        constraints = [models.UniqueConstraint(fields=["word", "kind"], name="unique_word_per_list")]

    def __str__(self):
        return self.word
