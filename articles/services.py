"""Workflows of the articles app: counting reads, publishing and unpublishing.

Views, admin actions and commands call these same functions.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, ArticleDailyView, ArticleStatus

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


def record_article_view(*, article_id: int, day=None) -> bool:
    """Count one read of a published article for `day` (today, Europe/Paris).

    Side effects: increments the article's `ArticleDailyView` row for that day
    with `UPDATE … SET count = count + 1` (atomic in the database, so no
    increment is lost between concurrent readers), creating the row when it
    is the day's first read; a concurrent creation (IntegrityError) falls
    back to the increment. Returns False, writing nothing, when the id is not
    a published article.
    """
    if not 0 < article_id <= MAX_ID:
        return False
    day = day or timezone.localdate()
    rows = ArticleDailyView.objects.filter(article_id=article_id, day=day)
    if rows.update(count=F("count") + 1):
        return True
    if not Article.objects.published().filter(pk=article_id).exists():
        return False
    try:
        with transaction.atomic():
            ArticleDailyView.objects.create(article_id=article_id, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)
    return True


@transaction.atomic
def publish_articles(*, articles, now=None) -> int:
    """Publish `articles` (a queryset); returns how many changed.

    Side effects: sets the status to « Publié »; an article without a
    publication date gets `now`, one with a future date stays scheduled and
    goes live by itself at that time. Each article is saved through
    `Article.save()`, so its body is sanitised again.
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
    them (their pages answer 404); the publication date is kept for when the
    article is published again.
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


@transaction.atomic
def delete_articles(*, articles) -> int:
    """Delete `articles` (a queryset) with everything that hangs on them.

    Editors may delete an article that has comments: its comments go with it,
    through `comments.services.delete_comments` (the one path that deletes
    comments), then the article, its daily reads and its photo's files (after
    commit). Returns how many articles were deleted.
    """
    from comments.models import Comment
    from comments.services import delete_comments

    locked = list(_locked(articles))
    delete_comments(comments=Comment.objects.filter(article__in=locked))
    for article in locked:
        article.delete()
    return len(locked)
