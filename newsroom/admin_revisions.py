"""The history, comparison and restore screens of the admin, for any model
followed by `newsroom.revisions` (articles, events)."""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reversion.models import Version

from newsroom import revisions


class RevisionAdminMixin:
    """Admin forms and actions record one revision per save, with the user;
    « Historique » lists the versions (paginated), compares any two and
    restores one."""

    history_per_page = 50
    can_publish_permission = None  # e.g. "articles.publish_article"

    def can_publish(self, request):
        return self.can_publish_permission is None or request.user.has_perm(self.can_publish_permission)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":  # no transaction (a write lock on SQLite) to show a form
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changelist_view(request, extra_context)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active() and not reversion.get_comment():
            reversion.set_comment(entry.get_change_message())
        return entry

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(_("Création"))
        return entry

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/historique/comparer/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/historique/<int:version_id>/restaurer/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Cet objet n'existe pas (ou plus)."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, obj, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": title,
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
            ),
            "compare_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_compare", args=[obj.pk]
            ),
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        """The versions, newest first, a page at a time: three queries
        (object, count, page) whatever their number."""
        obj = self._object_or_404(request, object_id)
        page = Paginator(revisions.history(obj), self.history_per_page).get_page(request.GET.get("page"))
        context = self._context(
            request,
            obj,
            _("Historique : %(object)s") % {"object": obj},
            page_obj=page,
            versions=list(page.object_list),
        )
        return TemplateResponse(request, "admin/revisions/history.html", context)

    def compare_view(self, request, object_id):
        """Two versions side by side: which fields changed, words removed and
        added. A fixed number of queries whatever the history's length."""
        obj = self._object_or_404(request, object_id)
        ids = [request.GET.get("de"), request.GET.get("a")]
        if not all(value and value.isdigit() for value in ids):
            messages.warning(request, _("Choisissez deux versions à comparer."))
            return redirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk])
            )
        found = {
            v.pk: v
            for v in Version.objects.get_for_object(obj).select_related("revision__user").filter(pk__in=ids)
        }
        if len(found) != len(set(ids)):
            raise Http404(_("Version introuvable."))
        old, new = sorted((found[int(ids[0])], found[int(ids[1])]), key=lambda v: v.revision_id)
        context = self._context(
            request,
            obj,
            _("Comparer deux versions : %(object)s") % {"object": obj},
            old=old,
            new=new,
            rows=revisions.compare(old, new),
            can_restore=self.has_change_permission(request, obj),
            restore_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_restore", args=[obj.pk, old.pk]
            ),
        )
        return TemplateResponse(request, "admin/revisions/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        obj = self._object_or_404(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        obj, photo_restored = revisions.restore_version(
            version=version, by=request.user, can_publish=self.can_publish(request)
        )
        messages.success(request, _("Version restaurée : elle devient la version actuelle."))
        if not photo_restored:
            messages.warning(
                request, _("La photo de cette version n'est plus stockée : la photo actuelle est conservée.")
            )
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]))
