from datetime import timedelta

from django import template
from django.db.models import Count
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentStatus

register = template.Library()

MOST_COMMENTED_DAYS = 30


@register.inclusion_tag("comments/_most_commented.html")
def most_commented(limit=5):
    """« Sujets les + commentés »: the published articles with the most
    approved reader comments over the last 30 days, in one query."""
    since = timezone.now() - timedelta(days=MOST_COMMENTED_DAYS)
    articles = (
        Article.objects.published()
        .filter(
            comments__status=CommentStatus.APPROVED,
            comments__is_newsroom_reply=False,
            comments__created_at__gte=since,
        )
        .annotate(recent_comment_count=Count("comments"))
        .order_by("-recent_comment_count", "-published_at", "-pk")[:limit]
    )
    return {"articles": articles}


@register.simple_tag
def pending_comment_count():
    """For the admin home: how many comments wait for a moderator."""
    return Comment.objects.pending().count()
