from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from newsroom.paginators import CappedCountPaginator


class ActorFilter(admin.SimpleListFilter):
    """The staff accounts (a short list), not every user who ever existed."""

    title = _("personne")
    parameter_name = "personne"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_staff=True).order_by("username")
        return [(str(user.pk), user.get_username()) for user in users]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(actor_id=int(self.value()))
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The journal of editorial and moderation actions, newest first; read
    only, for accounts with `audit.view_auditentry` (« Rédaction en chef »).
    Every filter is served by an index (action, person, date); counts stop at
    10 000 rows."""

    list_display = ["created_at", "actor_display", "action", "object_repr", "bulk", "details_display"]
    list_filter = [ActorFilter, "action", "created_at", "bulk"]
    list_select_related = ["actor"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    fields = [
        "created_at",
        "actor",
        "actor_name",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "bulk",
        "details",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("personne"), ordering="actor_name")
    def actor_display(self, entry):
        return entry.actor_name or _("système")

    @admin.display(description=_("détails"))
    def details_display(self, entry):
        return ", ".join(f"{key} : {value}" for key, value in entry.details.items()) or "—"
