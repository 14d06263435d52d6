"""Comment workflows: every state change goes through these functions.

Views, admin actions and management commands call them; none of them saves a
comment's state directly.
"""

import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from audit.models import AuditAction
from audit.services import email_fingerprint, record_action
from comments.models import (
    AlreadyModerated,
    Comment,
    CommentReport,
    CommentStatus,
    HoldReason,
    InvalidTransition,
)
from comments.moderation import assess_comment
from comments.normalise import text_hash
from newsroom import cache as page_cache

ANONYMOUS_NAME = "Anonyme"


def _touch_article(article_id, *, delta):
    """Keep the article's published count and its "comments changed" time in
    step, in the same transaction (an UPDATE with F() is safe under concurrency).

    `Article.approved_comment_count` counts published *reader* comments: the
    heading « 12 commentaires » and « Sujets les + commentés » count the same
    thing, and the newsroom's answers (shown under the comment they answer)
    never push its own story up the sidebar."""
    Article.objects.filter(pk=article_id).update(
        approved_comment_count=F("approved_comment_count") + delta, comments_changed_at=timezone.now()
    )


def recount_comments(article_ids):
    """Set `approved_comment_count` of these articles from their published
    reader comments (one correlated count per article, on the (article,
    status, created_at) index) and touch `comments_changed_at`."""
    published = (
        Comment.objects.published()
        .filter(article=OuterRef("pk"), is_newsroom_reply=False)
        .order_by()
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Article.objects.filter(pk__in=article_ids).update(
        approved_comment_count=Coalesce(Subquery(published), 0), comments_changed_at=timezone.now()
    )


@transaction.atomic
def delete_comments(*, comments, by=None, bulk=False, journal=True):
    """Delete `comments` (a queryset), with the newsroom's answers under them.

    The one way comments are deleted: the admin (page and bulk action), the
    retention purge and an article's deletion all call it. Side effects: the
    rows and their state changes are deleted; the articles they belonged to
    get their published count recounted and `comments_changed_at` touched, so
    their pages and ETags change at commit; with `journal`, one « Suppression »
    line per comment deleted by a person (`by`), or one line with the count
    for an automatic purge (never the commenter's e-mail). Returns how many
    comments were deleted (answers included).
    """
    ids = list(comments.order_by().values_list("pk", flat=True))
    if not ids:
        return 0
    doomed = Comment.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
    rows = list(doomed.select_for_update().only("pk", "article_id", "author_name", "text", "status"))
    # Only a public comment changes what readers see (and the counts).
    article_ids = {row.article_id for row in rows if row.status == CommentStatus.APPROVED}
    if journal and by is not None:
        for row in rows:
            record_action(
                action=AuditAction.DELETE,
                actor=by,
                obj=row,
                object_repr=_comment_repr(row),
                bulk=bulk,
                details={"article": row.article_id, "status": row.status},
            )
    elif journal:
        record_action(action=AuditAction.DELETE, details={"comments": len(rows), "purge": True})
    _total, per_model = doomed.delete()
    recount_comments(article_ids)
    for article_id in article_ids:
        page_cache.comments_changed(article_id, published_count_changed=True)
    return per_model.get("comments.Comment", 0)


class CommentRefused(Exception):
    """A post the rules refuse as a whole (nothing is stored); `message` is
    shown to the reader above their kept text, `status` is the HTTP code."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TooSoon(CommentRefused):
    status = 429


class AlreadySent(CommentRefused):
    pass


@transaction.atomic
def submit_comment(*, article, name, email, text, ip_address, user_agent=""):
    """Store a reader's comment, never published before a moderator approves it.

    Refuses, storing nothing: a second comment from the same address or email
    within `COMMENTS_FLOOD_SECONDS` (`TooSoon`, HTTP 429) and the same text
    sent again by the same email on the same article (`AlreadySent`). The
    checks and the insert are one atomic step: on PostgreSQL, posts from one
    address or one email wait for each other (transaction-level advisory
    locks); SQLite takes its write lock at the start of the transaction
    (`transaction_mode` IMMEDIATE), so posts are serialised there too. A
    double-click, or 20 identical posts at once, stores one comment.

    Side effects: one Comment row (pending, or spam when the disallowed list
    matches) with its hold reasons; after commit, for a pending comment, the
    moderators' notification is enqueued on the task backend. A failing
    notification never undoes or fails the post.
    """
    ip_address = ip_address or None
    _serialise_posts_from(ip_address=ip_address, email=email)
    recent = Comment.objects.recent_from(
        ip_address=ip_address, email=email, seconds=settings.COMMENTS_FLOOD_SECONDS
    )
    if recent.exists():
        raise TooSoon(
            _(
                "Vous venez déjà d'envoyer un commentaire. Patientez quelques secondes "
                "avant d'en envoyer un autre : votre texte est conservé."
            )
        )
    if Comment.objects.by_email(email).filter(article=article, text_hash=text_hash(text)).exists():
        raise AlreadySent(_("Vous avez déjà envoyé ce commentaire sur cet article."))
    assessment = assess_comment(
        article=article, name=name, email=email, text=text, ip_address=ip_address, user_agent=user_agent
    )
    comment = Comment.objects.create(
        article=article,
        author_name=name,
        author_email=email,
        text=text,
        ip_address=ip_address,
        status=assessment.status,
        hold_reasons=assessment.hold_reasons,
    )
    if comment.status == CommentStatus.PENDING:
        transaction.on_commit(lambda: _enqueue_notification(comment.pk), robust=True)
    return comment


def _serialise_posts_from(*, ip_address, email):
    """On PostgreSQL, take a transaction-level advisory lock per address and
    per email (in a fixed order, so two posts never wait for each other in a
    circle); released at commit or rollback. A no-op elsewhere."""
    if connection.vendor != "postgresql":
        return
    keys = {f"comments:ip:{ip_address}" if ip_address else "", f"comments:email:{email.strip().casefold()}"}
    lock_ids = sorted(
        int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True) for key in keys if key
    )
    with connection.cursor() as cursor:
        for lock_id in lock_ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def _enqueue_notification(comment_id):
    """After commit: the moderators' e-mail, and the daily digest's first
    scheduling if none is scheduled yet (comments/tasks.py)."""
    from comments.tasks import notify_moderators, schedule_digest

    notify_moderators.enqueue(comment_id=comment_id)
    schedule_digest()


@transaction.atomic
def change_comment_status(comment_id, *, status, moderator, bulk=False, expected_status=None):
    """Move a comment to `status` (approve, reject, mark as spam).

    The row is locked first (`select_for_update`), so two moderators acting on
    one comment at once give one transition; the second gets InvalidTransition.
    With `expected_status` (the state the moderator saw: the desk, the e-mail
    links), a comment found in another state raises `AlreadyModerated`, which
    says who decided and when. A decision also closes the readers' open
    reports on the comment (the « Signalés » queue).
    Side effects: records who and when (comment fields and a CommentStateChange
    row, and a line in the journal of actions); when the comment enters or
    leaves the published state, updates the article's
    `approved_comment_count` and `comments_changed_at`, and after commit
    drops the article's cached page and « les + commentés »
    (newsroom/cache.py). `bulk` marks the journal line of a decision taken on
    a selection in the list.
    """
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    if expected_status is not None and comment.status != expected_status:
        raise AlreadyModerated(comment)
    was_public = comment.is_public
    comment.transition_to(status, by=moderator)
    _published_state_changed(comment, was_public=was_public)
    details = {"article": comment.article_id}
    if reports := _close_reports(comment):
        details["reports"] = reports
    record_action(
        action=DECISIONS[comment.status],
        actor=moderator,
        obj=comment,
        object_repr=_comment_repr(comment),
        bulk=bulk,
        details=details,
    )
    return comment


def _published_state_changed(comment, *, was_public):
    """When a comment entered or left the published state: its article's
    count and change time, and (after commit) its cached pages."""
    if comment.is_public == was_public:
        return
    delta = 0 if comment.is_newsroom_reply else (1 if comment.is_public else -1)
    _touch_article(comment.article_id, delta=delta)
    page_cache.comments_changed(comment.article_id, published_count_changed=bool(delta))


def _close_reports(comment):
    """Mark the open reports of `comment` as dealt with; how many there were."""
    if not comment.open_report_count:
        return 0
    count = comment.open_report_count
    CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=timezone.now())
    Comment.objects.filter(pk=comment.pk).update(open_report_count=0)
    comment.open_report_count = 0
    return count


def _reopen_reports(comment, *, closed_since):
    """Open again the reports of `comment` closed since `closed_since`."""
    reports = CommentReport.objects.filter(comment=comment)
    if reports.filter(resolved_at__gte=closed_since).update(resolved_at=None):
        comment.open_report_count = reports.filter(resolved_at__isnull=True).count()
        Comment.objects.filter(pk=comment.pk).update(open_report_count=comment.open_report_count)


@transaction.atomic
def keep_reported_comment(comment_id, *, moderator):
    """« Garder » in the « Signalés » queue: the comment stays (or, hidden
    after reports, is published again) and its reports are closed.

    Side effects: as `change_comment_status` when a hidden comment is
    approved; otherwise the reports are closed and one « Commentaire
    approuvé » line in the journal says how many. Raises `AlreadyModerated`
    when no report is open any more (another moderator dealt with it)."""
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    if comment.status == CommentStatus.PENDING:
        return change_comment_status(
            comment_id,
            status=CommentStatus.APPROVED,
            moderator=moderator,
            expected_status=CommentStatus.PENDING,
        )
    if comment.status != CommentStatus.APPROVED or not comment.open_report_count:
        raise AlreadyModerated(comment)
    reports = _close_reports(comment)
    record_action(
        action=AuditAction.COMMENT_APPROVE,
        actor=moderator,
        obj=comment,
        object_repr=_comment_repr(comment),
        details={"article": comment.article_id, "reports": reports},
    )
    return comment


#: How long a moderator may take back their own decision (the desk offers it
#: for the next 10 seconds at least; the server allows more, for slow hands).
UNDO_SECONDS = 10 * 60


@transaction.atomic
def undo_comment_decision(comment_id, *, moderator, expected_status):
    """Put a comment back in the state it had before its last decision (the
    desk's « Annuler », key `u`).

    Only the moderator who took that decision may undo it, within
    UNDO_SECONDS, and only while the comment is still in `expected_status`
    (otherwise `AlreadyModerated`: someone decided since). Side effects: the
    state, who and when are those before the decision; a CommentStateChange
    row; the article's count, change time and cached pages as for any
    decision; a « Décision de modération annulée » line in the journal; the
    readers' reports that decision closed are open again (the comment is
    back in « Signalés »)."""
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    if comment.status != expected_status:
        raise AlreadyModerated(comment)
    last, previous = (list(comment.state_changes.order_by("-changed_at", "-pk")[:2]) + [None, None])[:2]
    if (
        last is None
        or last.changed_by_id != getattr(moderator, "pk", None)
        or last.changed_at < timezone.now() - timezone.timedelta(seconds=UNDO_SECONDS)
    ):
        raise InvalidTransition(_("Cette décision ne peut plus être annulée."))
    was_public = comment.is_public
    undone = comment.status
    if previous is None:
        # The state the comment arrived in: spam when the disallowed list sent it there.
        arrived = (
            CommentStatus.SPAM
            if HoldReason.DISALLOWED_WORD in comment.hold_reasons
            else CommentStatus.PENDING
        )
        comment.force_status(arrived, by=moderator, moderated_by=None, moderated_at=None)
    else:
        comment.force_status(
            previous.status, by=moderator, moderated_by=previous.changed_by, moderated_at=previous.changed_at
        )
    _published_state_changed(comment, was_public=was_public)
    _reopen_reports(comment, closed_since=last.changed_at)
    record_action(
        action=AuditAction.COMMENT_UNDO,
        actor=moderator,
        obj=comment,
        object_repr=_comment_repr(comment),
        details={"article": comment.article_id, "undone": undone, "status": comment.status},
    )
    return comment


@transaction.atomic
def report_comment(*, comment_id, reason, reporter_hash):
    """A reader reports a published comment (the « Signaler » form).

    One reader (`reporter_hash`, a keyed hash of address and browser) counts
    once per comment. Side effects: a CommentReport row and the comment's
    `open_report_count` + 1, which puts it in the desk's « Signalés » queue;
    when `COMMENTS_HIDE_AFTER_REPORTS` distinct readers (if set) have
    reported it, the comment is hidden: back to pending with the hold reason
    « Masqué après des signalements », the article's count, change time and
    cached pages updated. Returns True when the report was counted, False
    when this reader had already reported the comment. Raises
    Comment.DoesNotExist for a comment that is not published."""
    comment = Comment.objects.select_for_update().get(
        pk=comment_id, status=CommentStatus.APPROVED, is_newsroom_reply=False
    )
    if CommentReport.objects.filter(comment=comment, reporter_hash=reporter_hash).exists():
        return False
    CommentReport.objects.create(comment=comment, reason=reason, reporter_hash=reporter_hash)
    comment.open_report_count += 1
    Comment.objects.filter(pk=comment.pk).update(open_report_count=F("open_report_count") + 1)
    threshold = settings.COMMENTS_HIDE_AFTER_REPORTS
    if threshold and comment.open_report_count >= threshold:
        comment.force_status(CommentStatus.PENDING, by=None, moderated_by=None, moderated_at=None)
        if HoldReason.REPORTED not in comment.hold_reasons:
            comment.hold_reasons = [*comment.hold_reasons, HoldReason.REPORTED.value]
            comment.save(update_fields=["hold_reasons"])
        _published_state_changed(comment, was_public=True)
    return True


#: The journal's name of each moderation decision.
DECISIONS = {
    CommentStatus.APPROVED: AuditAction.COMMENT_APPROVE,
    CommentStatus.REJECTED: AuditAction.COMMENT_REJECT,
    CommentStatus.SPAM: AuditAction.COMMENT_SPAM,
}


def _comment_repr(comment):
    """How the journal names a comment: its number and author's name, never
    its e-mail."""
    return f"#{comment.pk} — {comment.author_name}"


def approve_comment(comment_id, *, moderator):
    return change_comment_status(comment_id, status=CommentStatus.APPROVED, moderator=moderator)


def reject_comment(comment_id, *, moderator):
    return change_comment_status(comment_id, status=CommentStatus.REJECTED, moderator=moderator)


def mark_comment_as_spam(comment_id, *, moderator):
    return change_comment_status(comment_id, status=CommentStatus.SPAM, moderator=moderator)


@transaction.atomic
def reply_as_newsroom(*, parent_id, text, moderator):
    """Publish at once an answer signed « La rédaction » under a comment.

    Side effects: one approved Comment (no email, no IP) recorded as moderated
    by `moderator`; the article's change time is updated (its count of reader
    comments is not: an answer is not a reader's comment); after commit its
    cached page is dropped; a line in the journal.
    """
    parent = Comment.objects.select_for_update().get(pk=parent_id)
    if parent.parent_id is not None:
        raise InvalidTransition("On répond au commentaire d'un lecteur, pas à une réponse.")
    reply = Comment.objects.create(
        article_id=parent.article_id,
        parent=parent,
        author_name="La rédaction",
        text=text.strip(),
        is_newsroom_reply=True,
        status=CommentStatus.APPROVED,
        moderated_by=moderator,
        moderated_at=timezone.now(),
    )
    _touch_article(parent.article_id, delta=0)
    page_cache.comments_changed(parent.article_id, published_count_changed=False)
    record_action(
        action=AuditAction.COMMENT_REPLY,
        actor=moderator,
        obj=reply,
        object_repr=_comment_repr(parent),
        details={"article": parent.article_id, "parent": parent.pk},
    )
    return reply


def export_comments_for_email(email, *, by=None):
    """Everything stored about the comments of `email`, as JSON-ready data
    (the answer to a reader's access request). Side effect: a line in the
    journal (who exported, how many comments, a keyed hash of the address —
    never the address itself)."""
    data = [
        {
            "id": comment.pk,
            "article": comment.article.title,
            "article_url": f"{settings.SITE_URL}{comment.article.get_absolute_url()}",
            "name": comment.author_name,
            "email": comment.author_email,
            "ip_address": comment.ip_address,
            "text": comment.text,
            "status": comment.status,
            "created_at": comment.created_at.isoformat(),
        }
        for comment in Comment.objects.by_email(email).select_related("article").order_by("created_at")
    ]
    record_action(
        action=AuditAction.PRIVACY_EXPORT,
        actor=by,
        object_repr=_("Données d'un lecteur"),
        details={"email_hash": email_fingerprint(email), "comments": len(data)},
    )
    return data


@transaction.atomic
def anonymise_comments_for_email(email, *, by=None):
    """Anonymise every comment of `email`: name « Anonyme », email and IP
    cleared, text kept. Side effects: updates those rows, touches their
    articles' `comments_changed_at`, and after commit drops their cached
    pages so they show the new name; a line in the journal (who, how many, a
    keyed hash of the address).
    Returns the number of comments changed."""
    comments = Comment.objects.by_email(email)
    article_ids = set(comments.values_list("article_id", flat=True))
    changed = comments.update(
        author_name=ANONYMOUS_NAME, author_email="", author_email_normalised="", ip_address=None
    )
    Article.objects.filter(pk__in=article_ids).update(comments_changed_at=timezone.now())
    for article_id in article_ids:
        page_cache.comments_changed(article_id, published_count_changed=False)
    record_action(
        action=AuditAction.PRIVACY_ANONYMISE,
        actor=by,
        object_repr=_("Données d'un lecteur"),
        details={"email_hash": email_fingerprint(email), "comments": changed},
    )
    return changed


PURGE_BATCH_SIZE = 1000


def purge_comment_data(*, ip_retention_days, rejected_retention_days, batch_size=PURGE_BATCH_SIZE):
    """Clear IP addresses older than `ip_retention_days` and delete rejected
    and spam comments older than `rejected_retention_days`.

    Works in batches of `batch_size` comments, each in its own short
    transaction: a first run over years of comments never holds one long
    transaction (no lock held for minutes, no table bloat that vacuum cannot
    reclaim meanwhile), and an interrupted run just resumes the next time.
    Each batch is one index range: the addresses still to clear are in the
    partial index `comment_ip_to_clear`, the comments to delete in
    (status, created_at).

    Side effects: the addresses are set to NULL; comments are deleted through
    `delete_comments` (a deleted comment takes its moderation records and any
    reply under it along; an article that loses a public answer gets its
    `comments_changed_at` touched); one line in the journal with the count.
    Returns (ip addresses cleared, comments deleted)."""
    now = timezone.now()
    ip_cutoff = now - timezone.timedelta(days=ip_retention_days)
    with_address = Comment.objects.filter(created_at__lt=ip_cutoff, ip_address__isnull=False)
    cleared = 0
    while batch := _next_batch(with_address, batch_size):
        with transaction.atomic():
            cleared += Comment.objects.filter(pk__in=batch, ip_address__isnull=False).update(ip_address=None)
    expired = Comment.objects.filter(
        status__in=[CommentStatus.REJECTED, CommentStatus.SPAM],
        created_at__lt=now - timezone.timedelta(days=rejected_retention_days),
    )
    deleted = 0
    while batch := _next_batch(expired, batch_size):
        deleted += delete_comments(comments=Comment.objects.filter(pk__in=batch), journal=False)
    if deleted:
        record_action(action=AuditAction.DELETE, details={"comments": deleted, "purge": True})
    return cleared, deleted


def _next_batch(queryset, size):
    return list(queryset.order_by().values_list("pk", flat=True)[:size])
