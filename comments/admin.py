import json

from admin_auto_filters.filters import AutocompleteFilter
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from articles.search import clean_query, search_articles
from comments import services
from comments.admin_desk import DeskAdminMixin
from comments.models import (
    MODERATE_PERMISSION,
    Comment,
    CommentStateChange,
    CommentStatus,
    HoldReason,
    InvalidTransition,
    ModerationWord,
    normalise_email,
    pending_first,
)
from newsroom.paginators import CappedCountPaginator

PRIVATE_FIELDS = ("author_email", "ip_address")
ARTICLE_HEAVY_FIELDS = ("body", "standfirst", "image_renditions", "search_document", "search_text")
ARTICLE_CHOICES = 20  # articles per page of the « Par article » filter


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


class ArticleFilter(AutocompleteFilter):
    """« Par article »: an autocomplete (searching the articles admin) instead
    of a list of every article ever published."""

    title = _("article")
    field_name = "article"
    field_pk = "id"  # ?article__id__exact=…, as the articles admin links it

    def get_autocomplete_url(self, request, model_admin):
        # The comments admin's own search of published articles: moderators
        # need no permission on articles (which would open drafts' previews).
        return reverse("admin:comments_comment_article_autocomplete")


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
            services.change_comment_status(pk, status=status, moderator=request.user, bulk=True)
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
class CommentAdmin(DeskAdminMixin, admin.ModelAdmin):
    list_display = ["excerpt", "article", "author_name", "created_at", "hold_reasons_display", "status"]
    # At a million comments: no list of all articles (autocomplete instead),
    # no count of the whole table (capped, and no second unfiltered count),
    # no date hierarchy (its years and months are a DISTINCT over every row;
    # the date filter gives today, 7 days, this month, this year).
    list_filter = ["status", HoldReasonFilter, ArticleFilter, "created_at"]
    list_select_related = ["article"]
    show_full_result_count = False
    paginator = CappedCountPaginator
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

    def lookup_allowed(self, lookup, value, request):
        """Without `moderate_comment`, no URL filter may read the email or the
        address, on any path (`?author_email__startswith=`, `?ip_address=`,
        `?parent__author_email=`…): the lookup is refused with a 400, so
        nobody rebuilds an address one character at a time."""
        if not can_see_commenter_data(request) and set(lookup.split(LOOKUP_SEP)) & set(PRIVATE_FIELDS):
            return False
        return super().lookup_allowed(lookup, value, request)

    def delete_model(self, request, obj):
        services.delete_comments(comments=Comment.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        # Django's « Supprimer les commentaires sélectionnés » action ends here:
        # the counts and the articles' change time stay right.
        services.delete_comments(comments=queryset, by=request.user, bulk=True)

    def get_queryset(self, request):
        # The list shows the article's title: not its body nor its search data.
        return super().get_queryset(request).defer(*(f"article__{name}" for name in ARTICLE_HEAVY_FIELDS))

    def get_ordering(self, request):
        # Served by the `comment_moderation_queue` index (with the -pk the
        # changelist adds), whatever the number of comments.
        return [pending_first().asc(), "-created_at"]

    def get_search_results(self, request, queryset, search_term):
        """An e-mail address finds that reader's comments, exactly, on the
        indexed normalised column (for those allowed to see addresses)."""
        if "@" in search_term and can_see_commenter_data(request):
            return queryset.filter(author_email_normalised=normalise_email(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def get_search_fields(self, request):
        # A full address is searched exactly (get_search_results); parts of
        # one are not, so that the search never scans every address.
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

    def article_autocomplete_view(self, request):
        """The « Par article » filter's choices, in the JSON select2 reads:
        published articles only (their titles are public), found through the
        search index, newest first when nothing is typed; 20 at a time."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        articles = Article.objects.published().only("pk", "title").order_by("-published_at", "-pk")
        query = clean_query(request.GET.get("term", ""))
        if query:
            articles = search_articles(articles, query, as_you_type=True).articles
        found = list(articles[: ARTICLE_CHOICES + 1])
        return JsonResponse(
            {
                "results": [
                    {"id": str(article.pk), "text": article.title} for article in found[:ARTICLE_CHOICES]
                ],
                "pagination": {"more": len(found) > ARTICLE_CHOICES},
            }
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            *self.get_desk_urls(),
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
            path(
                "articles/",
                self.admin_site.admin_view(self.article_autocomplete_view),
                name="{}_{}_article_autocomplete".format(*info),
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
                data = services.export_comments_for_email(email, by=request.user)
                response = HttpResponse(
                    json.dumps(data, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = 'attachment; filename="commentaires.json"'
                return response
            if "anonymise" in request.POST:
                count = services.anonymise_comments_for_email(email, by=request.user)
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
    list_display = ["word", "kind", "target", "prefix"]
    list_filter = ["kind", "target"]
    search_fields = ["word"]
