from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve

from newsroom import sitemaps, views

admin.site.site_header = _("Newsroom — administration")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Rédaction et modération")
# Three apps fit in the breadcrumbs and the home page; the navigation sidebar
# would take 300 px from the moderation list, whose hold reasons and state
# would then fall off a laptop screen.
admin.site.enable_nav_sidebar = False
JAVASCRIPT_CATALOG = JavaScriptCatalog.as_view(packages=["django.contrib.admin", "django_prose_editor"])

urlpatterns = [
    # The admin's JavaScript catalog, with the rich-text editor's French
    # (its dialogs call `window.gettext`); it answers at the admin's own
    # address, which the admin's templates already load.
    path(
        "admin/jsi18n/",
        admin.site.admin_view(
            JavaScriptCatalog.as_view(packages=["django.contrib.admin", "django_prose_editor"]),
            cacheable=True,
        ),
        name="admin_jsi18n",
    ),
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("", include(sitemaps)),
    path("commentaires/", include("comments.urls")),
    path("evenements/", include("events.urls")),
    path("", include("pages.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
