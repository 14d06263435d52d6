"""The editors' side: writing, scheduling and publishing articles.

No inline script or style: previews are sized by `css/admin/articles.css`,
the body editor is started by `js/admin/prose-editor.js`.
"""

from django.contrib import admin, messages
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.forms import ArticleAdminForm
from articles.images import rendition_url
from articles.models import Article, ArticleDailyView, ArticleStatus, Author, Section, Tag
from articles.services import publish_articles, unpublish_articles
from comments.admin_helpers import pending_count_column, with_pending_comment_count
from newsroom.dates import format_datetime


class PublicationFilter(admin.SimpleListFilter):
    """Status as readers experience it: online, scheduled or draft."""

    title = _("parution")
    parameter_name = "parution"

    def lookups(self, request, model_admin):
        return [
            ("online", _("En ligne")),
            ("scheduled", _("Programmé")),
            ("draft", _("Brouillon")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "online":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.filter(Q(status=ArticleStatus.DRAFT) | Q(published_at__isnull=True))
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    list_filter = [PublicationFilter, "status", "section", "published_at", "tags"]
    list_select_related = ["section"]
    search_fields = ["title", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "tags"]
    readonly_fields = ["image_preview", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    save_on_top = True

    def get_queryset(self, request):
        # Views and pending comments come as annotations: the list runs a
        # fixed number of queries whatever its length.
        views = (
            ArticleDailyView.objects.filter(article=OuterRef("pk"))
            .values("article")
            .annotate(total=Sum("count"))
            .values("total")
        )
        queryset = super().get_queryset(request).annotate(total_views=Coalesce(Subquery(views), 0))
        return with_pending_comment_count(queryset)

    @admin.display(description=_("lectures"), ordering="total_views")
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
                    "Les tailles pour téléphone et ordinateur (WebP et JPEG) sont produites à "
                    "l'enregistrement ; les métadonnées de la photo (EXIF, position GPS) sont retirées."
                ),
            },
        ),
        (_("Publication"), {"fields": ["status", "published_at", "comments_enabled"]}),
        (
            _("Référencement et historique"),
            {"fields": ["seo_description", "created_at", "updated_at"], "classes": ["collapse"]},
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
        if not article.image:
            return ""
        jpegs = [r for r in article.image_renditions if r.get("format") == "jpeg" and r["width"] <= max_width]
        chosen = min(jpegs, key=lambda r: abs(r["width"] - max_width), default=None)
        url = rendition_url(chosen) if chosen else article.image.url
        return format_html('<img src="{}" alt="{}" class="{}">', url, article.image_alt, css_class)

    @admin.action(description=_("Publier"), permissions=["change"])
    def publish(self, request, queryset):
        count = publish_articles(articles=queryset)
        self.message_user(
            request,
            ngettext("%(count)d article publié.", "%(count)d articles publiés.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Repasser en brouillon"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = unpublish_articles(articles=queryset)
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
