"""What the article page needs from the comments app.

`ArticleDetailView` calls `comment_block_context(request, article)` and the
template includes `comments/_comments.html` with it. On a plain anonymous GET
nothing here depends on the reader, so the page stays shared-cacheable; the
context says `personalised=True` (private, no-store) when it holds the
reader's own pending comments or their form errors.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Subquery
from django.utils import timezone

from comments.forms import CommentForm, security_data
from comments.models import Comment

PENDING_COOKIE = "nr_commentaires"
PENDING_COOKIE_SALT = "newsroom.comments.pending"
PENDING_COOKIE_MAX_AGE = 30 * 24 * 60 * 60
PENDING_COOKIE_MAX_IDS = 20
PAGE_PARAM = "commentaires"
BOUND_FORM_ATTR = "newsroom_comment_form"
THANKS_PARAM = "commentaire"


def comments_are_open(article):
    """Open when the editor left them open and, if a closing delay is set,
    while that many days have not passed since publication."""
    if not article.comments_enabled:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    closes_at = article.published_at + timedelta(days=days) if days and article.published_at else None
    return closes_at is None or timezone.now() <= closes_at


def pending_ids_from_cookie(request):
    """The ids of the comments this browser sent (signed, nothing personal)."""
    try:
        raw = request.get_signed_cookie(
            PENDING_COOKIE, salt=PENDING_COOKIE_SALT, max_age=PENDING_COOKIE_MAX_AGE
        )
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in raw.split(",") if part.isdigit()][-PENDING_COOKIE_MAX_IDS:]


def remember_pending_comment(request, response, comment):
    """Add `comment` to this browser's signed cookie of pending comment ids."""
    ids = [*pending_ids_from_cookie(request), comment.pk][-PENDING_COOKIE_MAX_IDS:]
    response.set_signed_cookie(
        PENDING_COOKIE,
        ",".join(str(pk) for pk in ids),
        salt=PENDING_COOKIE_SALT,
        max_age=PENDING_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class _CountedPaginator(Paginator):
    """A paginator told its count, rather than running a COUNT query."""

    def __init__(self, count, per_page):
        super().__init__([], per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def published_comments_page(article, number):
    """The page `number` of the article's published comments, oldest first,
    each with its `published_replies`: one query (page, replies and count
    together), none when the article has no published comment. A number that
    is not one gives the first page, one past the end the last (as
    `Paginator.get_page`)."""
    per_page = settings.COMMENTS_PER_PAGE
    if not article.approved_comment_count:
        return _CountedPaginator(0, per_page).get_page(1)
    number = page_number(number)
    rows = _page_rows(article, number, per_page)
    if not rows and number > 1:  # past the end: the last page
        total = Comment.objects.for_article_page(article).count()
        number = max(1, -(-total // per_page))
        rows = _page_rows(article, number, per_page)
    replies = {}
    for row in rows:
        if row.parent_id is not None:
            replies.setdefault(row.parent_id, []).append(row)
    comments = [row for row in rows if row.parent_id is None]
    for comment in comments:
        comment.published_replies = replies.get(comment.pk, [])
    paginator = _CountedPaginator(rows[0].top_level_count if rows else 0, per_page)
    return Page(comments, number, paginator)


def _page_rows(article, number, per_page):
    top_level = Comment.objects.for_article_page(article)
    page = top_level.values("pk")[(number - 1) * per_page : number * per_page]
    count = top_level.order_by().values("article").annotate(n=Count("pk")).values("n")[:1]
    return list(
        Comment.objects.published()
        .filter(article=article)
        .filter(Q(pk__in=page) | Q(parent__in=page))
        .annotate(top_level_count=Subquery(count))
        .order_by("created_at", "pk")
    )


def page_number(raw):
    """The comments page asked for: a positive number, else 1."""
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def comment_block_context(request, article):
    ids = pending_ids_from_cookie(request)
    pending = list(Comment.objects.pending().filter(article=article, pk__in=ids)) if ids else []
    form = getattr(request, BOUND_FORM_ATTR, None)
    if form is None:
        form = CommentForm()
    form.annotate_errors()
    return {
        "comment_count": article.approved_comment_count,
        "comments_page_number": page_number(request.GET.get(PAGE_PARAM)),
        "pending_comments": pending,
        "comment_thanks": bool(pending) and request.GET.get(THANKS_PARAM) == "merci",
        "comments_open": comments_are_open(article),
        "comment_form": form,
        "comment_token": security_data(article.pk),
        "personalised": bool(pending) or form.is_bound,
    }
