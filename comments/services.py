"""Comment workflows: every state change goes through these functions.

Views, admin actions and management commands call them; none of them saves a
comment's state directly.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentStatus, InvalidTransition
from comments.moderation import assess_comment
from newsroom import cache as page_cache

ANONYMOUS_NAME = "Anonyme"


def _touch_article(article_id, *, delta):
    """Keep the article's published count and its "comments changed" time in
    step, in the same transaction (an UPDATE with F() is safe under concurrency)."""
    Article.objects.filter(pk=article_id).update(
        approved_comment_count=F("approved_comment_count") + delta, comments_changed_at=timezone.now()
    )


@transaction.atomic
def submit_comment(*, article, name, email, text, ip_address):
    """Store a reader's comment, never published before a moderator approves it.

    Side effects: one Comment row (pending, or spam when a disallowed word is
    found) with its hold reasons; after commit, for a pending comment, the
    moderators' notification is enqueued on the task backend. A failing
    notification never undoes or fails the post.
    """
    assessment = assess_comment(article=article, name=name, email=email, text=text)
    comment = Comment.objects.create(
        article=article,
        author_name=name,
        author_email=email,
        text=text,
        ip_address=ip_address or None,
        status=assessment.status,
        hold_reasons=assessment.hold_reasons,
    )
    if comment.status == CommentStatus.PENDING:
        transaction.on_commit(lambda: _enqueue_notification(comment.pk), robust=True)
    return comment


def _enqueue_notification(comment_id):
    from comments.tasks import notify_moderators

    notify_moderators.enqueue(comment_id=comment_id)


@transaction.atomic
def change_comment_status(comment_id, *, status, moderator):
    """Move a comment to `status` (approve, reject, mark as spam).

    The row is locked first (`select_for_update`), so two moderators acting on
    one comment at once give one transition; the second gets InvalidTransition.
    Side effects: records who and when (comment fields and a CommentStateChange
    row); when the comment enters or leaves the published state, updates the
    article's `approved_comment_count` and `comments_changed_at`, and after
    commit drops the article's cached page and « les + commentés »
    (newsroom/cache.py).
    """
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    was_public = comment.is_public
    comment.transition_to(status, by=moderator)
    if comment.is_public != was_public:
        _touch_article(comment.article_id, delta=1 if comment.is_public else -1)
        page_cache.comments_changed(comment.article_id, published_count_changed=True)
    return comment


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
    by `moderator`; the article's count and change time are updated; after
    commit its cached page and « les + commentés » are dropped.
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
    _touch_article(parent.article_id, delta=1)
    page_cache.comments_changed(parent.article_id, published_count_changed=True)
    return reply


def export_comments_for_email(email):
    """Everything stored about the comments of `email`, as JSON-ready data
    (the answer to a reader's access request). No side effect."""
    return [
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


@transaction.atomic
def anonymise_comments_for_email(email):
    """Anonymise every comment of `email`: name « Anonyme », email and IP
    cleared, text kept. Side effects: updates those rows, touches their
    articles' `comments_changed_at`, and after commit drops their cached
    pages so they show the new name.
    Returns the number of comments changed."""
    comments = Comment.objects.by_email(email)
    article_ids = set(comments.values_list("article_id", flat=True))
    changed = comments.update(author_name=ANONYMOUS_NAME, author_email="", ip_address=None)
    Article.objects.filter(pk__in=article_ids).update(comments_changed_at=timezone.now())
    for article_id in article_ids:
        page_cache.comments_changed(article_id, published_count_changed=False)
    return changed


@transaction.atomic
def purge_comment_data(*, ip_retention_days, rejected_retention_days):
    """Clear IP addresses older than `ip_retention_days` and delete rejected
    and spam comments older than `rejected_retention_days`. Published counts
    are unaffected (only unpublished comments are deleted).
    Returns (ip addresses cleared, comments deleted)."""
    now = timezone.now()
    cleared = (
        Comment.objects.filter(created_at__lt=now - timezone.timedelta(days=ip_retention_days))
        .exclude(ip_address=None)
        .update(ip_address=None)
    )
    _total, per_model = Comment.objects.filter(
        status__in=[CommentStatus.REJECTED, CommentStatus.SPAM],
        created_at__lt=now - timezone.timedelta(days=rejected_retention_days),
    ).delete()
    return cleared, per_model.get("comments.Comment", 0)
