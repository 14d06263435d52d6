from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import ArticleDetailView
from comments.context import BOUND_FORM_ATTR, THANKS_PARAM, comments_are_open, remember_pending_comment
from comments.forms import CommentForm, FormRefused, security_data
from comments.services import submit_comment
from newsroom.caching import apply_cache_policy


def client_ip(request):
    """The reader's address; behind our reverse proxy, the address it appended
    last to X-Forwarded-For (the only part a client cannot forge)."""
    if settings.COMMENTS_TRUST_X_FORWARDED_FOR and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def origin_is_allowed(request):
    """The post comes from one of our pages: the `Origin` header (sent by every
    current browser on a POST) or, failing it, the `Referer` must be ours.
    Non-browser clients send neither; the signed token still applies to them."""
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if not sent:
        return True
    parts = urlsplit(sent)
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    allowed.add("{0.scheme}://{0.netloc}".format(urlsplit(settings.SITE_URL)))
    return origin in allowed


def refused(request, message, *, status=400, article=None):
    response = TemplateResponse(
        request, "comments/refused.html", {"message": message, "article": article}, status=status
    )
    return apply_cache_policy(request, response, personalised=True)


def article_page_with_form(request, article, form, *, status):
    """The article page again, with the reader's form, their text and errors."""
    setattr(request, BOUND_FORM_ATTR, form)
    view = ArticleDetailView()
    view.setup(request, slug=article.slug)
    view.object = article
    response = view.render_to_response(view.get_context_data(object=article))
    response.status_code = status
    return response


@never_cache
@require_GET
def form_token(request, article_id):
    """Fresh hidden fields for the comment form of a cached page.

    `static/js/comments.js` asks for them when the reader starts writing, so
    that the form's signed timestamp says when they did, however old the
    cached page: the minimum time before sending (COMMENTS_MIN_SUBMIT_SECONDS)
    is then measured from that moment, and the form's two hours start then.
    No database access: the post checks the article anyway.
    """
    return JsonResponse(security_data(article_id))


@csrf_exempt  # Anonymous form: signed token, honeypot and Origin check instead (see forms.py).
@require_POST
def post_comment(request):
    if not origin_is_allowed(request):
        return refused(request, _("Ce formulaire doit être envoyé depuis notre site."), status=403)
    form = CommentForm(request.POST, ip_address=client_ip(request))
    try:
        form.check_security()
    except FormRefused as refusal:
        return refused(request, str(refusal))
    article = get_object_or_404(Article.objects.published(), pk=form.data["article"])
    if not comments_are_open(article):
        return refused(
            request, _("Les commentaires sont fermés pour cet article."), status=403, article=article
        )
    if not form.is_valid():
        return article_page_with_form(request, article, form, status=429 if form.flooded else 400)
    comment = submit_comment(
        article=article,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        text=form.cleaned_data["text"],
        ip_address=form.ip_address,
    )
    response = redirect(f"{article.get_absolute_url()}?{THANKS_PARAM}=merci#commentaire-merci")
    remember_pending_comment(request, response, comment)
    return response
