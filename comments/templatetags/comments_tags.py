from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import SIDEBAR_CANDIDATES, Article
from comments.context import PAGE_PARAM, published_comments_page
from comments.models import Comment, CommentStatus
from newsroom.cache import MOST_COMMENTED, article_page_fragment
from newsroom.page_cache import EVERYTHING, fragment

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


@register.simple_tag
def most_commented(limit=5):
    """« Sujets les + commentés »: the published articles with the most
    approved reader comments over the last 30 days.

    Two small queries (`most_commented_articles`), made when a comment's
    publication changes (newsroom/cache.py) and at least every
    SIDEBAR_CACHE_SECONDS (the 30-day window slides)."""

    def build():
        articles = most_commented_articles(limit=limit)
        html = render_to_string("comments/_most_commented.html", {"articles": articles})
        return {"html": html, "ids": [article.pk for article in articles]}

    value = fragment(MOST_COMMENTED, build, timeout=settings.SIDEBAR_CACHE_SECONDS)
    return mark_safe(value["html"])  # noqa: S308 (our own template's output)


@register.simple_tag(takes_context=True)
def published_comments(context):
    """The page of the article's published comments the reader asked for
    (`?commentaires=N`), with replies and pagination: one query, made once
    per version of the comments and kept until they change
    (newsroom/cache.py)."""
    article, number = context["article"], context["comments_page_number"]

    def build():
        page = published_comments_page(article, number)
        return render_to_string(
            "comments/_comment_list.html", {"comments_page": page, "comments_page_param": PAGE_PARAM}
        )

    return mark_safe(article_page_fragment(article, f"comments-{number}", build))  # noqa: S308 (our template)


@register.simple_tag(takes_context=True)
def comment_form_fields(context, form):
    """The visible fields of the comment form. An empty form is the same on
    every article: rendered once and kept (newsroom/cache.py); a form sent
    back with errors is rendered with them."""
    template = context.template.engine.get_template("comments/_form_fields.html")

    def build():
        with context.push(form=form):
            return template.render(context)

    if form.is_bound:
        return mark_safe(build())  # noqa: S308 (our own template's output)
    return mark_safe(
        fragment("comment-form-fields", build, token=EVERYTHING, timeout=settings.PAGE_CACHE_TIMEOUT)
    )  # noqa: S308


@register.simple_tag
def pending_comment_count():
    """For the admin home: how many comments wait for a moderator."""
    return Comment.objects.pending().count()


@register.simple_tag(takes_context=True)
def moderation_queue_count(context):
    """The pending count for the admin header and the tab title, for users
    who may moderate (None otherwise): one COUNT on (status, created_at),
    made once per request however many times the page asks."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.has_perm("comments.change_comment"):
        return None
    if not hasattr(request, "_moderation_queue_count"):
        from comments.desk import pending_count

        request._moderation_queue_count = pending_count()
    return request._moderation_queue_count


@register.simple_tag
def moderation_queue_health():
    """The desk's health box, for the admin home."""
    from comments.desk import queue_health

    return queue_health()


@register.simple_tag
def report_reason_choices():
    """The reasons of the « Signaler » form."""
    from comments.models import ReportReason

    return ReportReason.choices
