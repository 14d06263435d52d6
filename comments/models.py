import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from comments.normalise import text_hash

NEWSROOM_NAME = _("La rédaction")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Approuvé")
    REJECTED = "rejected", _("Rejeté")
    SPAM = "spam", _("Indésirable")


# Which state may follow which: everything else is refused by `transition_to`.
ALLOWED_TRANSITIONS = {
    CommentStatus.PENDING: {CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.SPAM},
    # A reported comment may turn out to be spam; a comment in « Indésirables »
    # may be a false positive the desk rescues.
    CommentStatus.APPROVED: {CommentStatus.REJECTED, CommentStatus.SPAM},
    CommentStatus.REJECTED: {CommentStatus.APPROVED},
    CommentStatus.SPAM: {CommentStatus.APPROVED},
}


class HoldReason(models.TextChoices):
    LINKS = "links", _("Trop de liens")
    MODERATED_WORD = "moderated_word", _("Mot de la liste de modération")
    DUPLICATE = "duplicate", _("Doublon probable")
    DISALLOWED_WORD = "disallowed_word", _("Mot interdit (indésirable)")
    RESERVED_NAME = "reserved_name", _("Nom réservé")
    REPORTED = "reported", _("Masqué après des signalements de lecteurs")


class ReportReason(models.TextChoices):
    """Why a reader reports a published comment (the « Signaler » form)."""

    ABUSE = "abuse", _("Injurieux ou haineux")
    SPAM = "spam", _("Publicité ou indésirable")
    PERSONAL = "personal", _("Données personnelles ou diffamation")
    OFF_TOPIC = "off_topic", _("Hors sujet")


class InvalidTransition(Exception):
    """A moderator asked for a change the workflow does not allow (for
    example approving a comment already approved by someone else)."""


class AlreadyModerated(InvalidTransition):
    """The comment is no longer in the state the moderator saw: someone
    (`by`, a user or None) decided on it at `at`. The desk says « Déjà traité
    par … » and moves on."""

    def __init__(self, comment):
        self.comment = comment
        self.status = comment.status
        self.by = comment.moderated_by
        self.at = comment.moderated_at
        super().__init__(f"#{comment.pk} est déjà {comment.status}")


def normalise_email(email):
    """The form of an address used to find a reader's comments: « Marie@Exemple.FR »
    and « marie@exemple.fr » are the same reader."""
    return (email or "").strip().lower()


def pending_first():
    """0 for a comment waiting for a moderator, 1 otherwise: the moderation
    list's first sort key, served by the `comment_moderation_queue` index."""
    return models.Case(
        models.When(status=CommentStatus.PENDING, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


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

    def reported(self):
        """Comments readers reported and no moderator has looked at since."""
        return self.filter(open_report_count__gt=0)

    def by_email(self, email):
        return self.filter(author_email_normalised=normalise_email(email))

    def recent_from(self, *, ip_address, email, seconds):
        since = timezone.now() - timezone.timedelta(seconds=seconds)
        same_author = models.Q(author_email__iexact=email)
        if ip_address:
            same_author |= models.Q(ip_address=ip_address)
        return self.filter(same_author, created_at__gte=since)


#: The permission that lets staff moderate comments and see commenters'
#: e-mail and address (Comment.Meta.permissions); checked by the admin, the
#: desk and the notifications.
MODERATE_PERMISSION = "comments.moderate_comment"


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
    # Kept by save() from `author_email`: exact, indexed look-ups (privacy
    # tools, the moderators' search) without scanning every comment.
    author_email_normalised = models.CharField(max_length=254, blank=True, editable=False, db_index=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    text = models.TextField(_("commentaire"), max_length=3000)
    # sha256 of the text with case, spacing and look-alike characters folded
    # (`comments.normalise.text_hash`), set by `save()`: duplicates are found
    # through its index, never by reading texts.
    text_hash = models.CharField(_("empreinte du texte"), max_length=64, editable=False, default="")
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
    # Claimed by the notification task before it sends (an atomic UPDATE):
    # a task run twice after a worker crash sends one e-mail per recipient.
    notified_at = models.DateTimeField(_("modérateurs prévenus le"), null=True, blank=True, editable=False)
    # Distinct readers' reports since the last moderator decision (kept by
    # comments.services.report_comment, reset by the desk's decisions).
    open_report_count = models.PositiveIntegerField(_("signalements en attente"), default=0, editable=False)

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
            models.Index(fields=["text_hash", "created_at"], name="comment_text_hash_idx"),
            # The moderation list: pending first, newest first (admin ordering).
            models.Index(
                pending_first(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="comment_moderation_queue",
            ),
            # The desk's « Signalés » queue, oldest first.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(open_report_count__gt=0),
                name="comment_reported_queue",
            ),
            # « Les + commentés »: published reader comments, small entries to
            # count by article over a range of dates.
            models.Index(
                fields=["created_at", "article"],
                condition=models.Q(status="approved", is_newsroom_reply=False),
                name="comment_published_recent",
            ),
            # purge_comment_data: only the comments still holding an address.
            models.Index(
                fields=["created_at"],
                condition=models.Q(ip_address__isnull=False),
                name="comment_ip_to_clear",
            ),
        ]

    def __str__(self):
        return Truncator(self.text).chars(60)

    def save(self, *args, **kwargs):
        self.author_email_normalised = normalise_email(self.author_email)
        self.text_hash = text_hash(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"author_email": "author_email_normalised", "text": "text_hash"}
            kwargs["update_fields"] = {*update_fields, *(derived[f] for f in update_fields if f in derived)}
        super().save(*args, **kwargs)

    save.alters_data = True

    def get_absolute_url(self):
        """The comment on its article's page, on the comments page that holds
        it (`?commentaires=N`): one COUNT on the (article, status, created_at)
        index for a published comment past the first page."""
        url = self.article.get_absolute_url()
        page = self.page_number() if self.is_public else 1
        if page > 1:
            url = f"{url}?commentaires={page}"
        return f"{url}#{self.anchor}"

    def page_number(self):
        """Which page of the article's published comments shows this one (an
        answer is shown under the comment it answers)."""
        top = self.parent if self.parent_id else self
        before = (
            Comment.objects.published()
            .filter(article_id=top.article_id, parent__isnull=True)
            .filter(
                models.Q(created_at__lt=top.created_at) | models.Q(created_at=top.created_at, pk__lt=top.pk)
            )
            .count()
        )
        return before // settings.COMMENTS_PER_PAGE + 1

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

    def force_status(self, status, *, by, moderated_by, moderated_at):
        """Set a state outside the workflow's transitions: the desk's
        « Annuler » (the state before the last decision) and a comment hidden
        after readers' reports (back to pending). Only `comments.services`
        calls it."""
        self.status = status
        self.moderated_by = moderated_by
        self.moderated_at = moderated_at
        self.save(update_fields=["status", "moderated_by", "moderated_at"])
        CommentStateChange.objects.create(comment=self, status=status, changed_by=by)

    force_status.alters_data = True


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


class CommentReport(models.Model):
    """A reader's report of a published comment. The reader is known only by
    a keyed hash of their address and browser (never stored in clear): one
    reader reporting one comment twice counts once."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("commentaire"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("motif"), max_length=20, choices=ReportReason.choices)
    reporter_hash = models.CharField(_("empreinte du lecteur"), max_length=64)
    created_at = models.DateTimeField(_("signalé le"), default=timezone.now)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter_hash"], name="one_report_per_reader")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} — #{self.comment_id}"


class ModerationDigest(models.Model):
    """One row per day on which the moderators' digest is due: created when
    the day's run is scheduled, `sent_at` claimed (atomically) by the run
    that sends it. The unique day makes the digest at most once a day, however
    many workers or bootstraps."""

    day = models.DateField(_("jour"), unique=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("récapitulatif de modération")
        verbose_name_plural = _("récapitulatifs de modération")

    def __str__(self):
        return f"{self.day:%d/%m/%Y}"


class WordListKind(models.TextChoices):
    MODERATE = "moderate", _("À modérer (mise en attente signalée)")
    DISALLOW = "disallow", _("Interdit (classé indésirable)")


class WordTarget(models.TextChoices):
    CONTENT = "content", _("Nom, email et texte")
    IP_ADDRESS = "ip", _("Adresse IP ou plage (CIDR)")
    USER_AGENT = "user_agent", _("Navigateur (User-Agent)")


class ModerationWord(models.Model):
    """An entry of the moderation list or of the disallowed list, as in
    WordPress: a word or phrase looked for in the name, the email and the text
    (accents, case, look-alike and invisible characters and punctuation
    between letters folded away), an IP address or CIDR range, or a piece of
    the browser's User-Agent."""

    word = models.CharField(
        _("mot, expression, adresse ou navigateur"),
        max_length=200,
        help_text=_(
            "Un mot ou une expression (sans tenir compte des majuscules, des accents ni de la "
            "ponctuation), une adresse IP ou une plage comme 203.0.113.0/24, ou un morceau de "
            "User-Agent, selon le champ « Cherché dans »."
        ),
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
    target = models.CharField(
        _("cherché dans"),
        max_length=20,
        choices=WordTarget.choices,
        default=WordTarget.CONTENT,
        help_text=_("Où chercher cette entrée."),
    )
    prefix = models.BooleanField(
        _("aussi les mots qui commencent ainsi"),
        default=False,
        help_text=_("Coché, « viagra » trouve aussi « viagras » ; sinon, seulement le mot entier."),
    )

    class Meta:
        ordering = ["kind", "target", "word"]
        verbose_name = _("mot surveillé")
        verbose_name_plural = _("mots surveillés")
        constraints = [
            models.UniqueConstraint(fields=["word", "kind", "target"], name="unique_word_per_list_and_target")
        ]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = self.word.strip()
        if self.target == WordTarget.IP_ADDRESS:
            try:
                ipaddress.ip_network(self.word, strict=False)
            except ValueError:
                raise ValidationError(
                    {"word": _("Indiquez une adresse IP (203.0.113.7) ou une plage (203.0.113.0/24).")}
                ) from None
