"""What the moderation desk reads: its queues, the commenters' history, the
readers' reports and the queue's health. A constant number of queries
whatever the number of comments, each on an index:

- a queue page: one query (comments with their article's title and count),
  on (status, created_at) or the partial `comment_reported_queue` index;
- the commenters' history: one aggregate over `author_email_normalised` for
  the comments shown;
- the reports of the « Signalés » page: one query;
- the health box: two (count and oldest together, then the top articles).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, CommentReport, CommentStatus, HoldReason, ReportReason

PAGE_SIZE = 20


@dataclass(frozen=True)
class Queue:
    code: str
    label: str
    # The decisions offered there: (action, key, label)
    actions: tuple


APPROVE = ("approve", "a", _("Approuver"))
REJECT = ("reject", "r", _("Rejeter"))
SPAM = ("spam", "s", _("Indésirable"))
KEEP = ("keep", "a", _("Garder"))

QUEUES = {
    "pending": Queue("pending", _("À modérer"), (APPROVE, REJECT, SPAM)),
    "reported": Queue("reported", _("Signalés"), (KEEP, REJECT, SPAM)),
    "spam": Queue("spam", _("Indésirables"), (APPROVE,)),
    "rejected": Queue("rejected", _("Rejetés"), (APPROVE,)),
}

#: The state a decision leads to.
DECISION_STATUS = {
    "approve": CommentStatus.APPROVED,
    "keep": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}


def queue_comments(queue, *, article_id=None, reason=None, after=None):
    """The queryset of a queue, oldest first, filtered by article and hold
    reason, starting after the comment `after` (keyset pagination: deciding
    on comments never shifts the next page)."""
    comments = Comment.objects.filter(parent__isnull=True)
    if queue == "reported":
        comments = comments.reported().filter(status__in=[CommentStatus.APPROVED, CommentStatus.PENDING])
    else:
        comments = comments.filter(
            status={"pending": "pending", "spam": "spam", "rejected": "rejected"}[queue]
        )
    if article_id:
        comments = comments.filter(article_id=article_id)
    if reason in HoldReason.values:
        # JSON containment is not on SQLite; the codes are distinct words.
        comments = comments.filter(hold_reasons__icontains=f'"{reason}"')
    if after:
        then = Comment.objects.filter(pk=after).values("created_at")[:1]
        comments = comments.filter(
            Q(created_at__gt=Subquery(then)) | Q(created_at=Subquery(then), pk__gt=after)
        )
    return comments.order_by("created_at", "pk")


def desk_page(queue, *, article_id=None, reason=None, after=None, size=None):
    """(comments, has_more): one page of the queue, each comment with its
    article (title, slug, published count) and its hold reasons' labels."""
    size = size or PAGE_SIZE
    rows = list(
        queue_comments(queue, article_id=article_id, reason=reason, after=after)
        .select_related("article")
        .only(
            "pk",
            "article_id",
            "author_name",
            "author_email_normalised",
            "text",
            "status",
            "hold_reasons",
            "created_at",
            "open_report_count",
            "article__title",
            "article__slug",
            "article__status",
            "article__published_at",
            "article__approved_comment_count",
            "article__section_id",
        )[: size + 1]
    )
    labels = dict(HoldReason.choices)
    for comment in rows:
        comment.hold_reason_labels = [str(labels.get(code, code)) for code in comment.hold_reasons]
    return rows[:size], len(rows) > size


def attach_history(comments):
    """Set `history` on each comment: how many of the same reader's other
    comments (matched by normalised e-mail) were approved, rejected, marked
    spam. One aggregate query on the indexed column."""
    emails = {comment.author_email_normalised for comment in comments if comment.author_email_normalised}
    counts = {}
    if emails:
        rows = (
            Comment.objects.filter(author_email_normalised__in=emails)
            .values_list("author_email_normalised", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for email, status, n in rows:
            counts[(email, status)] = n
    for comment in comments:
        own = comment.author_email_normalised
        history = {status: counts.get((own, status), 0) for status in CommentStatus.values}
        if own:
            history[comment.status] -= 1  # the comment itself is not its history
        comment.history = history if own else None
        comment.history_total = sum(history.values())


def attach_reports(comments):
    """Set `report_reasons` on each comment: [(label, count)] of its open
    reports, most frequent first. One query."""
    counts = {}
    rows = (
        CommentReport.objects.filter(comment__in=[c.pk for c in comments], resolved_at__isnull=True)
        .values_list("comment_id", "reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = dict(ReportReason.choices)
    for comment_id, reason, n in rows:
        counts.setdefault(comment_id, []).append((str(labels.get(reason, reason)), n))
    for comment in comments:
        comment.report_reasons = sorted(counts.get(comment.pk, []), key=lambda item: (-item[1], item[0]))


TOP_ARTICLES = 5


def queue_health():
    """{"pending", "oldest_pending", "articles": [{id, title, pending}]}: two
    queries on the (status, created_at) and (article, status, created_at)
    indexes."""
    pending = Comment.objects.pending()
    totals = pending.aggregate(count=Count("pk"), oldest=Min("created_at"))
    articles = []
    if totals["count"]:
        articles = list(
            pending.values("article")
            .annotate(pending=Count("pk"))
            .order_by("-pending", "article")
            .values("article", "article__title", "pending")[:TOP_ARTICLES]
        )
    return {
        "pending": totals["count"],
        "oldest_pending": totals["oldest"],
        # timesince says « 0 minute » under a minute.
        "oldest_is_recent": bool(totals["oldest"])
        and timezone.now() - totals["oldest"] < timedelta(minutes=1),
        "articles": [
            {"id": row["article"], "title": row["article__title"], "pending": row["pending"]}
            for row in articles
        ],
    }


def pending_count():
    """The header's « File de modération (N) »: one COUNT on (status, created_at)."""
    return Comment.objects.pending().count()
