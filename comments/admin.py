import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import services
from comments.models import (
    Comment,
    CommentStateChange,
    CommentStatus,
    HoldReason,
    InvalidTransition,
    ModerationWord,
)

PRIVATE_FIELDS = ("author_email", "ip_address")
MODERATE_PERMISSION = "comments.moderate_comment"


def can_see_commenter_data(request):
    return request.user.has_perm(MODERATE_PERMISSION)


class HoldReasonFilter(admin.SimpleListFilter):
    title = _("motif de mise en attente")
    parameter_name = "motif"

    def lookups(self, request, model_admin):
        return HoldReason.choices

    def queryset(self, request, queryset):
        if self.value() in HoldReason.values:
            # JSON containment is not available on SQLite; the reason codes are
            # distinct words, so a text match on the stored list is exact.
            return queryset.filter(hold_reasons__icontains=f'"{self.value()}"')
        return queryset


class StateChangeInline(admin.TabularInline):
    model = CommentStateChange
    extra = 0
    can_delete = False
    fields = ["status", "changed_by", "changed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Réponse de la rédaction"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Publiée immédiatement sous le commentaire, signée « La rédaction »."),
    )


class PrivacyForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail du lecteur"), help_text=_("Toutes ses contributions sont concernées.")
    )


def _run_transition(modeladmin, request, queryset, status, done_message):
    ids = list(queryset.values_list("pk", flat=True))
    done = 0
    for pk in ids:
        try:
            services.change_comment_status(pk, status=status, moderator=request.user)
            done += 1
        except InvalidTransition:
            continue
    skipped = len(ids) - done
    modeladmin.message_user(request, done_message(done), messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d commentaire n'a pas changé d'état (transition impossible).",
                "%(count)d commentaires n'ont pas changé d'état (transition impossible).",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "article", "author_name", "created_at", "hold_reasons_display", "status"]
    list_filter = ["status", HoldReasonFilter, "article", "created_at"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject", "mark_spam"]
    inlines = [StateChangeInline]
    list_per_page = 50
    readonly_fields = [
        "article",
        "parent",
        "author_name",
        "author_email",
        "ip_address",
        "text",
        "is_newsroom_reply",
        "status",
        "hold_reasons_display",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    change_form_template = "admin/comments/comment/change_form.html"
    change_list_template = "admin/comments/comment/change_list.html"

    def has_add_permission(self, request):
        return False  # Comments come from readers; the newsroom answers with "Répondre".

    def get_ordering(self, request):
        pending_first = Case(
            When(status=CommentStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return [pending_first.asc(), "-created_at"]

    def get_search_fields(self, request):
        if can_see_commenter_data(request):
            return ["author_name", "author_email", "text"]
        return ["author_name", "text"]

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if not can_see_commenter_data(request):
            fields = [name for name in fields if name not in PRIVATE_FIELDS]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("extrait"))
    def excerpt(self, comment):
        return Truncator(comment.text).chars(80)

    @admin.display(description=_("motifs"))
    def hold_reasons_display(self, comment):
        labels = dict(HoldReason.choices)
        return ", ".join(str(labels.get(code, code)) for code in comment.hold_reasons) or "—"

    @admin.action(description=_("Approuver"), permissions=["change"])
    def approve(self, request, queryset):
        _run_transition(
            self,
            request,
            queryset,
            CommentStatus.APPROVED,
            lambda n: (
                ngettext("%(count)d commentaire approuvé.", "%(count)d commentaires approuvés.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Rejeter"), permissions=["change"])
    def reject(self, request, queryset):
        _run_transition(
            self,
            request,
            queryset,
            CommentStatus.REJECTED,
            lambda n: (
                ngettext("%(count)d commentaire rejeté.", "%(count)d commentaires rejetés.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("Marquer comme indésirable"), permissions=["change"])
    def mark_spam(self, request, queryset):
        _run_transition(
            self,
            request,
            queryset,
            CommentStatus.SPAM,
            lambda n: (
                ngettext(
                    "%(count)d commentaire marqué comme indésirable.",
                    "%(count)d commentaires marqués comme indésirables.",
                    n,
                )
                % {"count": n}
            ),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/repondre/",
                self.admin_site.admin_view(self.reply_view),
                name="{}_{}_reply".format(*info),
            ),
            path(
                "donnees-personnelles/",
                self.admin_site.admin_view(self.privacy_view),
                name="{}_{}_privacy".format(*info),
            ),
            *super().get_urls(),
        ]

    def reply_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.reply_as_newsroom(
                    parent_id=comment.pk, text=form.cleaned_data["text"], moderator=request.user
                )
            except InvalidTransition as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Réponse de la rédaction publiée."), messages.SUCCESS)
            return redirect(reverse("admin:comments_comment_change", args=[comment.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Répondre au nom de la rédaction"),
            "comment": comment,
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    def privacy_view(self, request):
        if not can_see_commenter_data(request):
            raise PermissionDenied
        form = PrivacyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if "export" in request.POST:
                data = services.export_comments_for_email(email)
                response = HttpResponse(
                    json.dumps(data, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = 'attachment; filename="commentaires.json"'
                return response
            if "anonymise" in request.POST:
                count = services.anonymise_comments_for_email(email)
                self.message_user(
                    request,
                    ngettext("%(count)d commentaire anonymisé.", "%(count)d commentaires anonymisés.", count)
                    % {"count": count},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:comments_comment_privacy"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Données personnelles d'un lecteur"),
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/privacy.html", context)


@admin.register(ModerationWord)
class ModerationWordAdmin(admin.ModelAdmin):
    list_display = ["word", "kind"]
    list_filter = ["kind"]
    search_fields = ["word"]
