"""The editors' side: writing, scheduling and publishing articles.

No inline script or style: previews are sized by `css/admin/articles.css`,
the body editor is started by `js/admin/prose-editor.js`.
"""

from admin_auto_filters.filters import AutocompleteFilter
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.forms import ArticleAdminForm
from articles.images import admin_preview
from articles.models import (
    PUBLISH_PERMISSION,
    Article,
    ArticleDailyView,
    ArticleStatus,
    Author,
    Correction,
    Section,
    Tag,
)
from articles.search import clean_query, search_articles
from articles.services import (
    add_correction,
    can_publish,
    delete_articles,
    publish_articles,
    save_article,
    submit_articles_for_review,
    unpublish_articles,
)
from comments.admin_helpers import pending_count_column, pending_count_column_for, with_pending_comment_count
from comments.models import Comment, CommentStateChange
from newsroom.admin_revisions import RevisionAdminMixin
from newsroom.dates import format_datetime
from newsroom.paginators import CappedCountPaginator


class PublicationFilter(admin.SimpleListFilter):
    """Status as readers experience it: online, scheduled or draft."""

    title = _("parution")
    parameter_name = "parution"

    def lookups(self, request, model_admin):
        return [
            ("online", _("En ligne")),
            ("scheduled", _("Programmé")),
            ("review", _("À relire")),
            ("draft", _("Brouillon")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "online":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "review":
            return queryset.in_review()
        if self.value() == "draft":
            return queryset.filter(Q(status=ArticleStatus.DRAFT) | Q(published_at__isnull=True))
        return queryset


class TagFilter(AutocompleteFilter):
    """« Par mot-clé »: an autocomplete rather than a link per tag."""

    title = _("mot-clé")
    field_name = "tags"
    field_pk = "id"


@admin.register(Article)
class ArticleAdmin(RevisionAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "thumbnail",
        "title",
        "section",
        "publication_status",
        "published_at",
        "views_column",
        "approved_comment_count",
        pending_count_column,
    ]
    list_display_links = ["thumbnail", "title"]
    list_filter = [PublicationFilter, "status", "section", "published_at", TagFilter]
    list_select_related = ["section"]
    # Searched through the articles' search index (get_search_results).
    search_fields = ["title", "standfirst"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "tags"]
    readonly_fields = [
        "image_preview",
        "created_at",
        "updated_at",
        "significant_update_at",
        "corrections_list",
    ]
    actions = ["submit_for_review", "publish", "unpublish"]
    can_publish_permission = PUBLISH_PERMISSION
    save_on_top = True

    def get_queryset(self, request):
        # Views and pending comments come as two independent subqueries, each
        # computed for the rows shown only: the list runs a fixed number of
        # queries whatever its length and the archive's size.
        views = (
            ArticleDailyView.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(total=Sum("count"))
            .values("total")
        )
        queryset = super().get_queryset(request).annotate(total_views=Coalesce(Subquery(views), 0))
        return with_pending_comment_count(queryset)

    def get_list_display(self, request):
        # Moderators get the pending count as a link to those comments; editors,
        # who cannot open the comment list, get the number alone.
        return [
            pending_count_column_for(request) if column is pending_count_column else column
            for column in super().get_list_display(request)
        ]

    def get_deleted_objects(self, objs, request):
        """An editor may delete an article that has comments (they go with it,
        through `delete_articles`): Django's check would ask them for the
        comment permissions, which editors do not have."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        granted_with_article = {
            str(model._meta.verbose_name) for model in (Comment, CommentStateChange, ArticleDailyView)
        }
        perms_needed = {name for name in perms_needed if str(name) not in granted_with_article}
        return deleted, counts, perms_needed, protected

    def get_search_results(self, request, queryset, search_term):
        """Words as typed, accents and case ignored, each word a prefix
        (« métro » finds « Métropole »): the search index, not a scan."""
        query = clean_query(search_term)
        if not query:
            return queryset, False
        return search_articles(queryset, query, as_you_type=True).articles, False

    # Not sortable: sorting a large archive by reads would compute them for every article.
    @admin.display(description=_("lectures"))
    def views_column(self, article):
        return article.total_views

    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (_("Classement et signatures"), {"fields": ["section", "tags", "authors"]}),
        (
            _("Photo principale"),
            {
                "fields": ["image", "image_preview", "image_alt", "image_caption", "image_credit"],
                "description": _(
                    "Les tailles pour téléphone et ordinateur (WebP et JPEG) sont produites juste après "
                    "l'enregistrement ; les métadonnées de la photo (EXIF, position GPS) sont retirées."
                ),
            },
        ),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "significant_update", "comments_enabled"]},
        ),
        (_("Rectificatifs"), {"fields": ["corrections_list"]}),
        (
            _("Référencement et historique"),
            {
                "fields": ["seo_description", "created_at", "updated_at", "significant_update_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin/articles.css"]}

    @admin.display(description=_("statut"), ordering="status")
    def publication_status(self, article):
        if article.is_scheduled:
            return format_html(
                '<span class="article-status-scheduled">{}</span>',
                _("Programmé le %(date)s") % {"date": format_datetime(article.published_at, weekday=False)},
            )
        return article.get_status_display()

    @admin.display(description=_("photo"))
    def thumbnail(self, article):
        return self._picture(article, css_class="article-thumbnail", max_width=480)

    @admin.display(description=_("aperçu"))
    def image_preview(self, article):
        return self._picture(article, css_class="article-preview", max_width=800) or _(
            "Aucune photo pour l'instant."
        )

    def _picture(self, article, *, css_class, max_width):
        return admin_preview(article, css_class=css_class, max_width=max_width, alt=article.image_alt)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request by modelform_factory
        return form

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_change_permission(self, request, obj=None):
        """A published or scheduled article is changed only by those who may
        publish; others see it read-only."""
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.is_public:
            return self.has_publish_permission(request)
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.is_public:
            return self.has_publish_permission(request)
        return allowed

    def save_model(self, request, obj, form, change):
        save_article(
            article=obj,
            by=request.user,
            significant_update=form.cleaned_data.get("significant_update", False),
        )

    def delete_model(self, request, obj):
        delete_articles(articles=Article.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        delete_articles(articles=queryset, by=request.user, bulk=True)

    @admin.display(description=_("rectificatifs publiés"))
    def corrections_list(self, article):
        if not article.pk:
            return "—"
        items = format_html_join(
            "",
            "<li>{} — {}</li>",
            (
                (timezone.localtime(c.published_at).strftime("%d/%m/%Y"), c.note)
                for c in article.corrections.order_by("published_at", "pk")
            ),
        )
        # « Ajouter un rectificatif » is in the object tools, for those who may
        # (templates/admin/articles/article/change_form.html).
        return format_html("<ul>{}</ul>", items) if items else _("Aucun rectificatif.")

    @admin.action(description=_("Soumettre pour relecture"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = submit_articles_for_review(articles=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d article soumis pour relecture.", "%(count)d articles soumis pour relecture.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publier"), permissions=["publish"])
    def publish(self, request, queryset):
        count = publish_articles(articles=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d article publié.", "%(count)d articles publiés.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Repasser en brouillon"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = unpublish_articles(articles=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d article repassé en brouillon.", "%(count)d articles repassés en brouillon.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "in_navigation"]
    list_editable = ["position", "in_navigation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "bio"]}),
        (_("Compte"), {"fields": ["user"]}),
    ]


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["article", "published_at", "position", "note"]

    def clean_article(self):
        article = self.cleaned_data["article"]
        if not article.is_published:
            raise forms.ValidationError(_("Un rectificatif ne s'ajoute qu'à un article publié."))
        return article


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are added by the editor-in-chief (publish permission),
    through `add_correction`; once published they are part of the record and
    are not edited (a new correction corrects a correction)."""

    form = CorrectionForm
    list_display = ["published_at", "article", "position", "note"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    search_fields = ["note", "article__title"]
    ordering = ["-published_at", "-pk"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("published_at", timezone.now())
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        saved = add_correction(
            article=obj.article,
            note=obj.note,
            position=obj.position,
            published_at=obj.published_at,
            by=request.user,
        )
        obj.pk = saved.pk
        obj.created_by = saved.created_by
