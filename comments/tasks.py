"""Background tasks (Django's `django.tasks`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from comments.models import Comment, CommentStatus
from newsroom.text import single_line
from newsroom.typography import typeset_text


@task
def notify_moderators(*, comment_id):
    """E-mail the moderators about a new pending comment: its text, its
    article and a link to its admin page. Does nothing if the comment has been
    deleted or is no longer pending by the time the task runs.

    Nothing a reader or an editor typed can break or forge the message: the
    title and the name are put on one line (no header injection, no fake
    line), the links come first, and the reader's text is quoted line by
    line (« > ») so that it cannot pass for a line of ours.
    """
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PENDING or not settings.COMMENTS_MODERATOR_EMAILS:
        return 0
    title = Truncator(single_line(comment.article.title)).chars(120)
    context = {
        "comment": comment,
        "title": title,
        "name": single_line(comment.author_name),
        "quoted_text": "\n".join(f"> {line}" for line in comment.text.splitlines()),
        "article_url": f"{settings.SITE_URL}{comment.article.get_absolute_url()}",
        "admin_url": f"{settings.SITE_URL}{comment.get_admin_url()}",
    }
    subject = typeset_text(_("Nouveau commentaire à modérer : %(title)s") % {"title": title})
    body = render_to_string("comments/email/notification.txt", context)
    return send_mail(subject, body, None, settings.COMMENTS_MODERATOR_EMAILS)
