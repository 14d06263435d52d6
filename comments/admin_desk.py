"""The moderation desk: « File de modération » in the comments admin
(`/admin/comments/comment/desk/`, name `admin:comments_comment_desk`).

Views only: reading goes through `comments.desk`, every decision through
`comments.services`. Each decision answers JSON to the desk's script
(static/js/admin/desk.js: no page reload) and redirects back with a message
otherwise (plain POST buttons, one page load per decision).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comments import desk, services
from comments.models import (
    MODERATE_PERMISSION,
    AlreadyModerated,
    Comment,
    CommentStatus,
    HoldReason,
    InvalidTransition,
)
from newsroom import dates

DONE_MESSAGES = {
    "approve": gettext_lazy("Commentaire approuvé."),
    "keep": gettext_lazy("Commentaire gardé, signalements classés."),
    "reject": gettext_lazy("Commentaire rejeté."),
    "spam": gettext_lazy("Commentaire classé indésirable."),
    "undo": gettext_lazy("Décision annulée."),
}


def already_message(error):
    """« Déjà traité par X le … » for a comment someone else decided on."""
    status = CommentStatus(error.status).label
    if error.by is None:
        return _("Déjà traité : ce commentaire est maintenant « %(status)s ».") % {"status": status}
    return _("Déjà traité par %(who)s le %(when)s (« %(status)s »).") % {
        "who": error.by.get_short_name() or error.by.get_username(),
        "when": dates.format_datetime(error.at, weekday=False) if error.at else "—",
        "status": status,
    }


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


class DeskAdminMixin:
    """Mixed into CommentAdmin: the desk's URLs and views."""

    def get_desk_urls(self):
        view = self.admin_site.admin_view
        return [
            path("desk/", view(self.desk_view), name="comments_comment_desk"),
            path("desk/<int:pk>/repondre/", view(self.desk_reply_view), name="comments_comment_desk_reply"),
            path("desk/<int:pk>/<str:action>/", view(self.desk_decide_view), name="comments_comment_decide"),
        ]

    def desk_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        queue = request.GET.get("queue", "pending")
        queue = queue if queue in desk.QUEUES else "pending"
        article_id = _positive(request.GET.get("article"))
        reason = request.GET.get("reason") if request.GET.get("reason") in HoldReason.values else ""
        after = _positive(request.GET.get("apres"))
        comments, has_more = desk.desk_page(queue, article_id=article_id, reason=reason, after=after)
        can_moderate = request.user.has_perm(MODERATE_PERMISSION)
        if can_moderate:
            desk.attach_history(comments)
        if queue == "reported":
            desk.attach_reports(comments)
        health = desk.queue_health()
        request._moderation_queue_count = health["pending"]  # the header's count, already known
        filters = {key: value for key, value in (("article", article_id), ("reason", reason)) if value}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("File de modération"),
            "queue": desk.QUEUES[queue],
            "queues": desk.QUEUES.values(),
            "comments": comments,
            "has_more": has_more,
            "next_after": comments[-1].pk if comments and has_more else None,
            "filters": filters,
            "filter_article": article_id,
            "filter_reason": reason,
            "hold_reasons": HoldReason.choices,
            "can_moderate": can_moderate,
            "can_decide": self.has_change_permission(request),
            "health": health,
            "desk_url": request.get_full_path(),
        }
        template = "admin/comments/comment/desk.html"
        if request.GET.get("fragment"):
            template = "admin/comments/comment/_desk_cards.html"
        return TemplateResponse(request, template, context)

    def desk_decide_view(self, request, pk, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request) or action not in (*desk.DECISION_STATUS, "undo"):
            raise PermissionDenied
        comment = Comment.objects.only("pk", "status").filter(pk=pk).first()
        if comment is None:
            return self._desk_answer(request, "already", _("Ce commentaire a été supprimé."), status=410)
        seen = request.POST.get("etat", comment.status)
        try:
            if action == "undo":
                comment = services.undo_comment_decision(pk, moderator=request.user, expected_status=seen)
            elif action == "keep":
                comment = services.keep_reported_comment(pk, moderator=request.user)
            else:
                comment = services.change_comment_status(
                    pk, status=desk.DECISION_STATUS[action], moderator=request.user, expected_status=seen
                )
        except AlreadyModerated as error:
            return self._desk_answer(request, "already", already_message(error), status=409)
        except Comment.DoesNotExist:
            return self._desk_answer(request, "already", _("Ce commentaire a été supprimé."), status=410)
        except InvalidTransition as error:
            message = (
                str(error)
                if action == "undo"
                else _("Cette décision n’est pas possible pour ce commentaire.")
            )
            return self._desk_answer(request, "refused", message, status=409)
        # Keeping a published comment closes its reports without changing its
        # state: nothing for « Annuler » to put back.
        undoable = action in ("approve", "reject", "spam") or (
            action == "keep" and seen == CommentStatus.PENDING
        )
        return self._desk_answer(request, "done", DONE_MESSAGES[action], comment=comment, undoable=undoable)

    def desk_reply_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        text = request.POST.get("text", "").strip()
        if not text or len(text) > 3000:
            message = _("Écrivez une réponse (3 000 caractères au plus).")
            return self._desk_answer(request, "refused", message, status=400)
        try:
            services.reply_as_newsroom(parent_id=pk, text=text, moderator=request.user)
        except (InvalidTransition, Comment.DoesNotExist):
            return self._desk_answer(request, "refused", _("On ne répond pas à ce commentaire."), status=409)
        return self._desk_answer(request, "done", _("Réponse de la rédaction publiée."))

    def _desk_answer(self, request, outcome, message, *, status=200, comment=None, undoable=False):
        if wants_json(request):
            data = {
                "outcome": outcome,
                "message": message,
                "pending": desk.pending_count(),
                "undoable": undoable,
            }
            if comment is not None:
                data["status"] = comment.status
                data["status_label"] = str(CommentStatus(comment.status).label)
            return JsonResponse(data, status=status)
        level = messages.SUCCESS if outcome == "done" else messages.WARNING
        self.message_user(request, message, level)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
            back = reverse("admin:comments_comment_desk")
        return redirect(back)


def _positive(raw):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None
