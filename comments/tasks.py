"""Background tasks (Django's `django.tasks`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from comments.models import Comment, CommentStatus
from newsroom.typography import typeset_text


@task
def notify_moderators(*, comment_id):
    """E-mail the moderators about a new pending comment: its text, its
    article and a link to its admin page. Does nothing if the comment has been
    deleted or is no longer pending by the time the task runs."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PENDING or not settings.COMMENTS_MODERATOR_EMAILS:
        return 0
    context = {
        "comment": comment,
        "article_url": f"{settings.SITE_URL}{comment.article.get_absolute_url()}",
        "admin_url": f"{settings.SITE_URL}{comment.get_admin_url()}",
    }
    subject = typeset_text(_("Nouveau commentaire à modérer : %(title)s") % {"title": comment.article.title})
    body = render_to_string("comments/email/notification.txt", context)
    return send_mail(subject, body, None, settings.COMMENTS_MODERATOR_EMAILS)
