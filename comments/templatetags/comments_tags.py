from datetime import timedelta

from django import template
from django.db.models import Count
from django.utils import timezone

from articles.models import SIDEBAR_CANDIDATES, Article
from comments.models import Comment, CommentStatus

register = template.Library()

MOST_COMMENTED_DAYS = 30


def most_commented_articles(*, days=MOST_COMMENTED_DAYS, limit=5):
    """The published articles with the most approved reader comments over
    the last `days` days, most commented first; each carries
    `recent_comment_count`. Two queries, neither a join of articles with
    their comments:

    1. aggregate first, over the comments' small index entries (the partial
       index `comment_published_recent`: approved reader comments by date and
       article, read without touching the table), keeping a few candidates;
    2. fetch those articles if they are published, and keep the best `limit`.
    """
    since = timezone.now() - timedelta(days=days)
    top = (
        Comment.objects.filter(status=CommentStatus.APPROVED, is_newsroom_reply=False, created_at__gte=since)
        .values("article")
        .annotate(total=Count("*"))
        .order_by("-total", "-article")
        .values_list("article", "total")[: limit * SIDEBAR_CANDIDATES]
    )
    counts = dict(top)
    if not counts:
        return []
    articles = Article.objects.published().filter(pk__in=counts).only("title", "slug", "published_at")
    ranked = sorted(articles, key=lambda article: (-counts[article.pk], -article.pk))[:limit]
    for article in ranked:
        article.recent_comment_count = counts[article.pk]
    return ranked


@register.inclusion_tag("comments/_most_commented.html")
def most_commented(limit=5):
    """« Sujets les + commentés »: the last 30 days' most commented articles."""
    return {"articles": most_commented_articles(limit=limit)}


@register.simple_tag
def pending_comment_count():
    """For the admin home: how many comments wait for a moderator."""
    return Comment.objects.pending().count()
