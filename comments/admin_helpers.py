"""For the articles admin (wired by `ArticleAdmin`): the pending-comment count
per article, without one query per row.

    class ArticleAdmin(admin.ModelAdmin):
        list_display = [..., pending_count_column]

        def get_queryset(self, request):
            return with_pending_comment_count(super().get_queryset(request))
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comments.models import CommentStatus


def with_pending_comment_count(queryset):
    """Annotate an Article queryset with `pending_comment_count` (one query)."""
    return queryset.annotate(
        pending_comment_count=Count("comments", filter=Q(comments__status=CommentStatus.PENDING))
    )


@admin.display(description=_("en attente"), ordering="pending_comment_count")
def pending_count_column(article):
    """A link to the pending comments of the article (needs the annotation)."""
    count = getattr(article, "pending_comment_count", None)
    if not count:
        return count
    url = reverse("admin:comments_comment_changelist")
    return format_html(
        '<a href="{}?article__id__exact={}&amp;status__exact=pending">{}</a>', url, article.pk, count
    )
