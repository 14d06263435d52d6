from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from newsroom.paginators import CappedCountPaginator
from redirects.models import NotFoundPath, Redirect
from redirects.notfound import flush_not_found_counts
from redirects.services import create_redirect, find_redirect


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]

    def clean(self):
        data = super().clean()
        old, new = data.get("old_path"), data.get("new_path")
        if old and new:
            if old == new:
                raise ValidationError(_("L'ancienne et la nouvelle adresse sont identiques."))
            if (find_redirect(new) or new) == old:
                raise ValidationError(
                    _("Cette redirection ferait une boucle : %(new)s renvoie déjà vers %(old)s.")
                    % {"new": new, "old": old}
                )
        return data


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Addresses that answer 301. Those made by a slug change appear here by
    themselves; an editor adds others (an old address → any page of the
    site). Saving goes through `create_redirect`, which collapses chains."""

    form = RedirectForm
    list_display = ["old_path", "new_path", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["created_by"]
    search_fields = ["=old_path", "=new_path"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if change:  # the old address itself was edited: the row moves
            Redirect.objects.filter(pk=obj.pk).exclude(old_path=obj.old_path).delete()
        saved = create_redirect(old_path=obj.old_path, new_path=obj.new_path, by=request.user)
        obj.pk, obj.new_path, obj.kind, obj.created_at = (
            saved.pk,
            saved.new_path,
            saved.kind,
            saved.created_at,
        )


@admin.register(NotFoundPath)
class NotFoundPathAdmin(admin.ModelAdmin):
    """The addresses readers did not find, most hit first, with a link to
    send them somewhere. Opening the list first adds the counts kept in the
    cache since the last flush."""

    list_display = ["path", "hits", "last_seen_at", "redirect_link"]
    search_fields = ["=path"]
    ordering = ["-hits", "-id"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        flush_not_found_counts()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("redirection"))
    def redirect_link(self, row):
        url = reverse("admin:redirects_redirect_add") + "?" + urlencode({"old_path": row.path})
        return format_html('<a class="addlink" href="{}">{}</a>', url, _("Créer une redirection"))
