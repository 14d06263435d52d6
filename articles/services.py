"""Workflows on articles, called by the admin (and any command) alike."""

from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleStatus


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
