"""Background tasks (Django's `django.tasks`): the moderators' e-mails."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.models import MODERATE_PERMISSION, Comment, CommentStatus, HoldReason, ModerationDigest
from comments.signing import decision_url
from newsroom.text import single_line
from newsroom.typography import typeset_text


def moderator_accounts():
    """Active staff accounts holding the moderation permission (through a
    group, directly, or as superusers) that have an e-mail address."""
    return (
        get_user_model()
        .objects.with_perm(MODERATE_PERMISSION, backend="django.contrib.auth.backends.ModelBackend")
        .filter(is_staff=True)
        .exclude(email="")
        .order_by("pk")
    )


def recipients():
    """[(address, account or None)]: one entry per address. Each moderator
    account gets its own mail (with links signed for it); an address of
    COMMENTS_MODERATOR_EMAILS that belongs to no such account (a shared
    mailbox) gets the mail without decision links."""
    accounts = list(moderator_accounts())
    known = {account.email.strip().lower() for account in accounts}
    shared = [
        address for address in settings.COMMENTS_MODERATOR_EMAILS if address.strip().lower() not in known
    ]
    return [(account.email, account) for account in accounts] + [(address, None) for address in shared]


def hold_reason_labels(codes):
    labels = dict(HoldReason.choices)
    return [str(labels.get(code, code)) for code in codes]


@task
def notify_moderators(*, comment_id):
    """E-mail each moderator about a new pending comment: its text, its
    article, its hold reasons (in French), a link to the desk and, for a
    moderator account, two signed links « Approuver » / « Rejeter » bound to
    the comment and to that moderator (comments/signing.py).

    Idempotent: the comment is claimed first (`notified_at`, an atomic
    UPDATE ... WHERE notified_at IS NULL), so a task run twice (a worker that
    crashed after sending, a retry) sends one e-mail per recipient. Does
    nothing if the comment has been deleted or is no longer pending.

    Nothing a reader or an editor typed can break or forge the message: the
    title and the name are put on one line (no header injection, no fake
    line), the links come first, and the reader's text is quoted line by
    line (« > ») so that it cannot pass for a line of ours.
    """
    claimed = Comment.objects.filter(
        pk=comment_id, status=CommentStatus.PENDING, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return 0
    comment = Comment.objects.select_related("article").get(pk=comment_id)
    title = Truncator(single_line(comment.article.title)).chars(120)
    context = {
        "comment": comment,
        "title": title,
        "name": single_line(comment.author_name),
        "hold_reasons": hold_reason_labels(comment.hold_reasons),
        "quoted_text": "\n".join(f"> {line}" for line in comment.text.splitlines()),
        "article_url": f"{settings.SITE_URL}{comment.article.get_absolute_url()}",
        "admin_url": f"{settings.SITE_URL}{comment.get_admin_url()}",
    }
    subject = typeset_text(_("Nouveau commentaire à modérer : %(title)s") % {"title": title})
    sent = 0
    for address, account in recipients():
        links = {}
        if account is not None:
            links = {
                f"{action}_url": decision_url(comment_id=comment.pk, moderator_id=account.pk, action=action)
                for action in ("approve", "reject")
            }
        body = render_to_string("comments/email/notification.txt", {**context, **links})
        sent += send_mail(subject, body, None, [address])
    return sent


def next_digest_time(now=None):
    """The next COMMENTS_DIGEST_HOUR (local time) after `now`."""
    now = timezone.localtime(now or timezone.now())
    moment = timezone.make_aware(datetime.combine(now.date(), time(settings.COMMENTS_DIGEST_HOUR)))
    return moment if moment > now else moment + timedelta(days=1)


def schedule_digest(now=None):
    """Make sure the next daily digest is scheduled, once.

    Called after each new pending comment (comments.services) and by the
    digest itself for the next day: the first call for a day creates that
    day's ModerationDigest row (unique) and enqueues `send_moderation_digest`
    to run at COMMENTS_DIGEST_HOUR; later calls find the row and do nothing.
    On a backend that cannot defer a task (the immediate backend of
    development and tests), nothing is enqueued. Returns the row created, or
    None."""
    backend = send_moderation_digest.get_backend()
    if not backend.supports_defer:
        return None
    when = next_digest_time(now)
    try:
        with transaction.atomic():
            row = ModerationDigest.objects.create(day=when.date())
    except IntegrityError:
        return None
    send_moderation_digest.using(run_after=when).enqueue(day=when.date().isoformat())
    return row


@task
def send_moderation_digest(*, day=None):
    """The daily digest: when the oldest pending comment has waited more
    than COMMENTS_DIGEST_AFTER_HOURS, one e-mail per moderator (see
    `recipients`) with the number of pending comments, the oldest one's age,
    the articles with the most pending comments and a link to the desk.

    At most once a day: the day's ModerationDigest row is claimed with an
    atomic UPDATE ... WHERE sent_at IS NULL before anything is sent, so a
    second run (a retry, two workers) sends nothing. Then schedules the next
    day's run (`schedule_digest`). Returns the number of e-mails sent."""
    from comments.desk import queue_health

    day = datetime.fromisoformat(day).date() if day else timezone.localdate()
    ModerationDigest.objects.get_or_create(day=day)
    claimed = ModerationDigest.objects.filter(day=day, sent_at__isnull=True).update(sent_at=timezone.now())
    sent = 0
    if claimed:
        sent = _send_digest(queue_health())
    schedule_digest()
    return sent


def _send_digest(health):
    oldest = health["oldest_pending"]
    limit = timezone.now() - timedelta(hours=settings.COMMENTS_DIGEST_AFTER_HOURS)
    if oldest is None or oldest > limit:
        return 0
    hours = int((timezone.now() - oldest).total_seconds() // 3600)
    subject = typeset_text(
        ngettext(
            "%(count)d commentaire attend la modération",
            "%(count)d commentaires attendent la modération",
            health["pending"],
        )
        % {"count": health["pending"]}
    )
    from django.urls import reverse

    context = {
        **health,
        "hours": hours,
        "articles": [
            (Truncator(single_line(a["title"])).chars(120), a["pending"]) for a in health["articles"]
        ],
        "desk_url": settings.SITE_URL + reverse("admin:comments_comment_desk"),
    }
    body = render_to_string("comments/email/digest.txt", context)
    return sum(send_mail(subject, body, None, [address]) for address, _account in recipients())
