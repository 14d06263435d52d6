from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django_guid import get_guid


@require_GET
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /recherche/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        f"Sitemap: {settings.SITE_URL}/sitemap-news.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """French 404 page, with the masthead (one query for the sections) and a
    search form."""
    body = loader.render_to_string("404.html", {"request_path": request.path}, request)
    return HttpResponseNotFound(body)


def server_error(request):
    """French 500 page: static, no database, no context processor. It says
    that the technical team was told only when someone is (`ADMINS` set: they
    get Django's error e-mail), and gives the request id to quote."""
    context = {"team_notified": bool(settings.ADMINS), "request_id": get_guid()}
    body = loader.get_template("500.html").render(context)
    return HttpResponseServerError(body)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (`AXES_LOCKOUT_CALLABLE`):
    a French admin page with HTTP 429, saying how long to wait."""
    context = {
        **admin.site.each_context(request),
        "title": _("Connexion bloquée"),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response.render()
