"""Workflows of the articles app: counting reads, publishing and unpublishing.

Views, admin actions and commands call these same functions.
"""

import logging
import re

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from redis.exceptions import RedisError

from articles import reads
from articles.models import Article, ArticleDailyView, ArticleStatus
from articles.reads import ReadOutcome

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


@transaction.atomic
def publish_articles(*, articles, now=None) -> int:
    """Publish `articles` (a queryset); returns how many changed.

    Side effects: sets the status to « Publié »; an article without a
    publication date gets `now`, one with a future date stays scheduled and
    goes live by itself at that time. Each article is saved through
    `Article.save()`, so its body is sanitised again and, after commit, the
    cached pages it appears on are dropped (newsroom/cache.py).
    """
    now = now or timezone.now()
    changed = 0
    for article in _locked(articles).exclude(status=ArticleStatus.PUBLISHED):
        article.status = ArticleStatus.PUBLISHED
        if article.published_at is None:
            article.published_at = now
        article.save(update_fields=["status", "published_at", "body", "updated_at"])
        changed += 1
    return changed


@transaction.atomic
def unpublish_articles(*, articles) -> int:
    """Put `articles` (a queryset) back to draft; returns how many changed.

    Side effects: sets the status to « Brouillon », so readers no longer see
    them (their pages answer 404, and the cached pages they were on are
    dropped after commit); the publication date is kept for when the article
    is published again.
    """
    changed = 0
    for article in _locked(articles).exclude(status=ArticleStatus.DRAFT):
        article.status = ArticleStatus.DRAFT
        article.save(update_fields=["status", "body", "updated_at"])
        changed += 1
    return changed


def _locked(articles):
    # A fresh queryset on primary keys: the admin's may carry joins that
    # PostgreSQL refuses to lock (FOR UPDATE on an outer join).
    return Article.objects.select_for_update().filter(pk__in=list(articles.values_list("pk", flat=True)))
