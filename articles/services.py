"""Workflows of the articles app: counting reads, the review and publication
workflow, corrections.

Views, admin actions and commands call these same functions.
"""

import logging
import re

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from articles import reads
from articles.models import (
    PUBLISH_PERMISSION,
    Article,
    ArticleDailyView,
    ArticleStatus,
    Correction,
    CorrectionPosition,
)
from articles.reads import ReadOutcome
from audit.models import AuditAction
from audit.services import record_action
from newsroom import cache as page_cache

logger = logging.getLogger(__name__)

# Crawlers, link previews and command-line clients: their hits are not reads.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|lighthouse|"
    r"headless|phantomjs|curl|wget|python-|httpx|libwww|java/|go-http|okhttp|monitor",
    re.IGNORECASE,
)

# The largest id a bigint column holds: anything above is junk, not an article.
MAX_ID = 2**63 - 1


def is_bot(user_agent: str) -> bool:
    """True for an empty User-Agent or one that names a robot."""
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def count_reader_view(*, article_id: int, address: str | None, user_agent: str, day=None) -> ReadOutcome:
    """A reader's beacon for an article: count it if the rules against
    rigging allow (articles/reads.py).

    Side effects: one beacon counted against `address` for this minute
    (TOO_MANY beyond READS_MAX_PER_ADDRESS_PER_MINUTE); the client (a keyed
    hash of address and User-Agent) marked as having read the article for
    READS_CLIENT_WINDOW_SECONDS (ALREADY_COUNTED within that time); then one
    read recorded by `record_article_view`. Robots' beacons are NOT_COUNTED.
    """
    if is_bot(user_agent) or not 0 < article_id <= MAX_ID:
        return ReadOutcome.NOT_COUNTED
    if not reads.within_address_ceiling(address):
        return ReadOutcome.TOO_MANY
    if not reads.first_read_by_client(article_id, address, user_agent):
        return ReadOutcome.ALREADY_COUNTED
    return (
        ReadOutcome.COUNTED
        if record_article_view(article_id=article_id, day=day)
        else ReadOutcome.NOT_COUNTED
    )


def record_article_view(*, article_id: int, day=None) -> bool:
    """Count one read of a published article for `day` (today, Europe/Paris).

    Side effects, with Redis: one increment of the article's pending count
    in Redis, no database access; the first read of a window enqueues the
    task that writes the pending counts (`articles.tasks.flush_read_counts`,
    one write per article and day), and reads of articles that are not
    published are dropped then. Without Redis: `UPDATE … SET count = count +
    1` on the day's `ArticleDailyView` row (atomic in the database, so no
    increment is lost between concurrent readers), creating it on the day's
    first read. Returns False, writing nothing, for an id that cannot be a
    published article (without Redis: that is not one).
    """
    if not 0 < article_id <= MAX_ID:
        return False
    day = day or timezone.localdate()
    redis = reads.redis_connection()
    if redis is not None:
        try:
            reads.buffer_read(redis, article_id, day)
        except RedisError:
            logger.warning("Read of article %s not counted: Redis is unavailable", article_id)
            return False
        return True
    rows = ArticleDailyView.objects.filter(article_id=article_id, day=day)
    if rows.update(count=F("count") + 1):
        return True
    if not Article.objects.published().filter(pk=article_id).exists():
        return False
    reads.add_to_daily_row(article_id, day, 1)
    return True


def can_publish(user) -> bool:
    """Publishing, scheduling, unpublishing and correcting belong to the
    editor-in-chief (`articles.publish_article`); None is a command run by
    the system (the demo, cron), which may."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def _require_publish_permission(user):
    if not can_publish(user):
        raise PermissionDenied(
            _("Seule la rédaction en chef peut publier, programmer ou dépublier un article.")
        )


def _publication_action(article, now):
    return (
        AuditAction.SCHEDULE if article.published_at and article.published_at > now else AuditAction.PUBLISH
    )


@transaction.atomic
def save_article(*, article, by, significant_update=False) -> Article:
    """Save `article` as an editor changed it (the admin form calls this).

    Refused (PermissionDenied) when `by` may not publish and the article is,
    was, or would become published or scheduled. Side effects: when
    `significant_update` is ticked on an article already public,
    `significant_update_at` is set (readers then see « mis à jour le … »);
    the save is a revision by `by` (the admin's own revision block also
    takes in the tags and authors saved after it);
    the journal records a submission, publication, schedule, unpublication
    or significant update.
    """
    now = timezone.now()
    before = (
        Article.objects.filter(pk=article.pk).values("status", "published_at").first() if article.pk else None
    )
    was_public = bool(before and before["status"] == ArticleStatus.PUBLISHED and before["published_at"])
    if article.status == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = now
    if was_public or article.is_public:
        _require_publish_permission(by)
    significant = bool(significant_update and was_public and article.is_public)
    if significant:
        article.significant_update_at = now
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Modification significative") if significant else _("Enregistrement"))
        article.save()
    old_status = before["status"] if before else None
    moved = bool(before) and article.published_at != before["published_at"]
    if was_public and not article.is_public:
        record_action(action=AuditAction.UNPUBLISH, actor=by, obj=article)
    elif article.is_public and (not was_public or moved):
        record_action(
            action=_publication_action(article, now),
            actor=by,
            obj=article,
            details={"published_at": article.published_at.isoformat()},
        )
    elif article.status == ArticleStatus.REVIEW and old_status != ArticleStatus.REVIEW:
        record_action(action=AuditAction.SUBMIT, actor=by, obj=article)
    if significant:
        record_action(action=AuditAction.SIGNIFICANT_UPDATE, actor=by, obj=article)
    return article


@transaction.atomic
def publish_articles(*, articles, by, now=None, bulk=True) -> int:
    """Publish `articles` (a queryset); returns how many changed.

    Refused (PermissionDenied) unless `by` may publish. Side effects: sets
    the status to « Publié »; an article without a publication date gets
    `now`, one with a future date stays scheduled and goes live by itself at
    that time. Each article is saved through `Article.save()` (its body is
    sanitised again and, after commit, the cached pages it appears on are
    dropped: newsroom/cache.py) in one revision by `by`, and the journal
    records one « Publication » or « Programmation » line per article.
    """
    _require_publish_permission(by)
    now = now or timezone.now()
    changed = 0
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Publication"))
        for article in _locked(articles).exclude(status=ArticleStatus.PUBLISHED):
            article.status = ArticleStatus.PUBLISHED
            if article.published_at is None:
                article.published_at = now
            article.save(update_fields=["status", "published_at", "body", "updated_at"])
            record_action(action=_publication_action(article, now), actor=by, obj=article, bulk=bulk)
            changed += 1
    return changed


@transaction.atomic
def unpublish_articles(*, articles, by, bulk=True) -> int:
    """Put `articles` (a queryset) back to draft; returns how many changed.

    Refused (PermissionDenied) unless `by` may publish. Side effects: sets
    the status to « Brouillon », so readers no longer see them (their pages
    answer 404, and the cached pages they were on are dropped after commit);
    the publication date is kept for when the article is
    published again. One revision by `by`; one « Dépublication » line per
    article in the journal.
    """
    _require_publish_permission(by)
    changed = 0
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Dépublication"))
        for article in _locked(articles).filter(status=ArticleStatus.PUBLISHED):
            article.status = ArticleStatus.DRAFT
            article.save(update_fields=["status", "body", "updated_at"])
            record_action(action=AuditAction.UNPUBLISH, actor=by, obj=article, bulk=bulk)
            changed += 1
    return changed


@transaction.atomic
def submit_articles_for_review(*, articles, by, bulk=True) -> int:
    """Move drafts of `articles` to « À relire »; returns how many changed.

    Anyone who may change articles may submit. Side effects: one revision by
    `by`, one « Soumission pour relecture » line per article in the journal.
    Published articles are left alone.
    """
    changed = 0
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Soumis pour relecture"))
        for article in _locked(articles).filter(status=ArticleStatus.DRAFT):
            article.status = ArticleStatus.REVIEW
            article.save(update_fields=["status", "body", "updated_at"])
            record_action(action=AuditAction.SUBMIT, actor=by, obj=article, bulk=bulk)
            changed += 1
    return changed


@transaction.atomic
def delete_articles(*, articles, by, bulk=False) -> int:
    """Delete `articles`; returns how many.

    Refused (PermissionDenied) for a published or scheduled article unless
    `by` may publish. Side effects: the article's comments are deleted through
    `comments.services.delete_comments`; the journal keeps one « Suppression »
    line per article (title and address); their revisions stay, so a deleted
    article can still be read in its history; the photo's files go after commit.
    """
    rows = list(_locked(articles))
    if any(article.is_public for article in rows):
        _require_publish_permission(by)
    for article in rows:
        record_action(
            action=AuditAction.DELETE,
            actor=by,
            obj=article,
            bulk=bulk,
            details={"path": article.get_absolute_url()},
        )
    # Editors may delete an article that has comments: its comments go first,
    # through the one path that deletes comments (counts, journal), then each
    # article with its daily reads and, after commit, its photo's files.
    from comments.models import Comment
    from comments.services import delete_comments

    delete_comments(comments=Comment.objects.filter(article__in=rows), by=by, journal=False)
    for article in rows:
        article.delete()
    return len(rows)


@transaction.atomic
def add_correction(*, article, note, by, position=CorrectionPosition.TOP, published_at=None) -> Correction:
    """Attach a public correction to a published article.

    Refused (PermissionDenied) unless `by` may publish; refused
    (ValidationError) on an article readers cannot see. Side effects: one
    Correction row; the article's `corrected_at` is set (its page, JSON-LD
    and the feeds' updated date change); one « Rectificatif » line in the
    journal.
    """
    _require_publish_permission(by)
    if not article.is_published:
        raise ValidationError(_("Un rectificatif ne s'ajoute qu'à un article publié."))
    correction = Correction.objects.create(
        article=article,
        note=note.strip(),
        position=position,
        published_at=published_at or timezone.now(),
        created_by=by,
    )
    latest = article.corrections.aggregate(latest=Max("published_at"))["latest"]
    Article.objects.filter(pk=article.pk).update(corrected_at=latest)
    article.corrected_at = latest
    page_cache.article_changed(article)
    record_action(
        action=AuditAction.CORRECTION,
        actor=by,
        obj=article,
        details={"correction": correction.pk, "note": correction.note[:200]},
    )
    return correction


def _locked(articles):
    # A fresh queryset on primary keys: the admin's may carry joins that
    # PostgreSQL refuses to lock (FOR UPDATE on an outer join).
    return Article.objects.select_for_update().filter(pk__in=list(articles.values_list("pk", flat=True)))
