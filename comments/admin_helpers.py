"""For the articles admin (wired by `ArticleAdmin`): the pending-comment count
per article, without one query per row.

    class ArticleAdmin(admin.ModelAdmin):
        def get_list_display(self, request):
            return [..., pending_count_column_for(request)]

        def get_queryset(self, request):
            return with_pending_comment_count(super().get_queryset(request))

Editors see the count; only those who may open the comment list (the
moderators) get it as a link, so that no editor meets a 403.
"""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, CommentStatus


def with_pending_comment_count(queryset):
    """Annotate an Article queryset with `pending_comment_count`: a
    subquery of its own, evaluated for the rows shown only (on the
    (article, status, created_at) index), never a join that multiplies the
    article rows by their comments."""
    pending = (
        Comment.objects.filter(article=OuterRef("pk"), status=CommentStatus.PENDING)
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(pending_comment_count=Coalesce(Subquery(pending), 0))


@admin.display(description=_("en attente"))
def pending_count_plain_column(article):
    """The pending count, for those who cannot open the comment list."""
    return getattr(article, "pending_comment_count", None)


def pending_count_column_for(request):
    """The linked column for users who may view comments, the plain one otherwise."""
    if request.user.has_perm("comments.view_comment"):
        return pending_count_column
    return pending_count_plain_column


# Not sortable: sorting a large archive by it would compute it for every article.
@admin.display(description=_("en attente"))
def pending_count_column(article):
    """A link to the pending comments of the article (needs the annotation)."""
    count = getattr(article, "pending_comment_count", None)
    if not count:
        return count
    url = reverse("admin:comments_comment_changelist")
    return format_html(
        '<a href="{}?article__id__exact={}&amp;status__exact=pending">{}</a>', url, article.pk, count
    )
