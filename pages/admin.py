from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.forms import ArticleBodyWidget
from pages.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The four pages exist once each: editors change them, nobody adds or deletes one."""

    list_display = ["title", "address", "updated_at"]
    fields = ["title", "body"]
    # The package's widget is blocked by our Content-Security-Policy (see events.admin).
    formfield_overrides = {ProseEditorField: {"widget": ArticleBodyWidget}}

    @admin.display(description=_("adresse"))
    def address(self, page):
        return page.get_absolute_url()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
