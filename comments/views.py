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
from comments.forms import CommentForm, FormRefused, kept_fields, security_data
from comments.services import CommentRefused, submit_comment
from newsroom.caching import apply_cache_policy
from newsroom.http import client_ip, limit_body_size

# A comment is 3,000 characters at most, that is 12 KB of UTF-8 at worst,
# plus the name, email and hidden fields, percent-encoded (up to three times
# longer). Anything bigger is not an honest comment and is not read.
MAX_BODY_BYTES = 64 * 1024


def origin_is_allowed(request):
    """The post comes from one of our pages: the `Origin` header (sent by every
    current browser on a POST) or, failing it, the `Referer` must be ours.
    `Origin: null` (privacy extensions, `no-referrer` policies, some in-app
    browsers) says nothing about the page: it is treated as absent. Without
    either, the signed token still applies (non-browser clients send neither)."""
    origin = request.headers.get("Origin")
    sent = origin if origin and origin.strip() != "null" else request.headers.get("Referer")
    if not sent:
        return True
    parts = urlsplit(sent)
    allowed = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    allowed.add("{0.scheme}://{0.netloc}".format(urlsplit(settings.SITE_URL)))
    return f"{parts.scheme}://{parts.netloc}" in allowed


def refused(request, message, *, status=400, article=None, data=None):
    """A refusal page that gives the reader their name and text back (cut to
    the fields' limits), so that nothing typed is lost."""
    kept = kept_fields(data) if data is not None else {}
    context = {"message": message, "article": article, "kept_name": kept.get("name", "")}
    context["kept_text"] = kept.get("text", "")
    response = TemplateResponse(request, "comments/refused.html", context, status=status)
    return apply_cache_policy(request, response, personalised=True)


def body_too_large(request):
    message = _(
        "Votre envoi dépasse 64 Ko : un commentaire compte 3 000 caractères au plus. Revenez en arrière "
        "avec votre navigateur, où votre texte est encore, raccourcissez-le et envoyez-le à nouveau."
    )
    return refused(request, message, status=413)


def article_page_with_form(request, article, form, *, status):
    """The article page again, with the reader's form, their text and errors."""
    form.prepare_for_echo()
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
@limit_body_size(MAX_BODY_BYTES, refuse=body_too_large)
def post_comment(request):
    form = CommentForm(request.POST)
    if not origin_is_allowed(request):
        message = _("Ce formulaire doit être envoyé depuis notre site.")
        return refused(request, message, status=403, data=request.POST)
    try:
        form.check_security()
    except FormRefused as refusal:
        return refused(request, str(refusal), data=request.POST)
    article = get_object_or_404(Article.objects.published(), pk=form.data["article"])
    if not comments_are_open(article):
        message = _("Les commentaires sont fermés pour cet article.")
        return refused(request, message, status=403, article=article, data=request.POST)
    if form.honeypot_filled:
        form.refuse_honeypot()
    if not form.is_valid():
        return article_page_with_form(request, article, form, status=400)
    try:
        comment = submit_comment(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            text=form.cleaned_data["text"],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:1000],
        )
    except CommentRefused as refusal:
        form.add_error(None, refusal.message)
        return article_page_with_form(request, article, form, status=refusal.status)
    response = redirect(f"{article.get_absolute_url()}?{THANKS_PARAM}=merci#commentaire-merci")
    remember_pending_comment(request, response, comment)
    return response
