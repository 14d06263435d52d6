from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article
from comments.context import PAGE_PARAM, published_comments_page
from comments.models import Comment, CommentStatus
from newsroom.cache import MOST_COMMENTED, article_page_fragment
from newsroom.page_cache import EVERYTHING, fragment

register = template.Library()

MOST_COMMENTED_DAYS = 30


@register.simple_tag
def most_commented(limit=5):
    """« Sujets les + commentés »: the published articles with the most
    approved reader comments over the last 30 days.

    One query, made when a comment's publication changes (newsroom/cache.py)
    and at least every SIDEBAR_CACHE_SECONDS (the 30-day window slides)."""

    def build():
        since = timezone.now() - timedelta(days=MOST_COMMENTED_DAYS)
        articles = list(
            Article.objects.published()
            .filter(
                comments__status=CommentStatus.APPROVED,
                comments__is_newsroom_reply=False,
                comments__created_at__gte=since,
            )
            .annotate(recent_comment_count=Count("comments"))
            .order_by("-recent_comment_count", "-published_at", "-pk")[:limit]
        )
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
