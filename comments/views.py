from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from articles.views import ArticleDetailView
from comments import services
from comments.admin_desk import already_message
from comments.context import BOUND_FORM_ATTR, THANKS_PARAM, comments_are_open, remember_pending_comment
from comments.forms import CommentForm, FormRefused, kept_fields, security_data
from comments.models import AlreadyModerated, Comment, CommentStatus, ReportReason
from comments.services import CommentRefused, submit_comment
from comments.signing import BadLink, read_decision
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


# --- Readers report a published comment ---------------------------------------

REPORT_SALT = "newsroom.comments.reporter"
REPORT_MAX_BODY_BYTES = 2 * 1024


def reporter_hash(request):
    """Who reports, as a keyed hash of the address and the browser: the
    same reader counts once per comment; neither is stored in clear."""
    seen = f"{client_ip(request) or ''}|{request.headers.get('User-Agent', '')[:500]}"
    return salted_hmac(REPORT_SALT, seen, algorithm="sha256").hexdigest()


def report_page(request, message, *, status=200, comment=None):
    context = {"message": message, "comment": comment}
    response = TemplateResponse(request, "comments/reported.html", context, status=status)
    return apply_cache_policy(request, response, personalised=True)


def report_too_large(request):
    return report_page(request, _("Ce signalement est trop long."), status=413)


def over_report_limit(request):
    """Count one report from this address in the shared cache; True once it
    has sent COMMENTS_REPORTS_PER_HOUR within the hour."""
    key = f"comments:reports:{client_ip(request) or 'inconnue'}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count > settings.COMMENTS_REPORTS_PER_HOUR


@csrf_exempt  # Anonymous form on a shared-cached page: Origin check, rate limit, one report per reader.
@require_POST
@limit_body_size(REPORT_MAX_BODY_BYTES, refuse=report_too_large)
def report_comment(request, pk):
    """« Signaler »: a reader reports a published comment, with a reason.
    No cookie, no account, no token in the page (which stays shared)."""
    if not origin_is_allowed(request):
        return report_page(request, _("Ce formulaire doit être envoyé depuis notre site."), status=403)
    comment = Comment.objects.filter(pk=pk, status=CommentStatus.APPROVED).select_related("article").first()
    if comment is None:
        return report_page(request, _("Ce commentaire n’est plus publié."), status=410)
    reason = request.POST.get("reason", "")
    if reason not in ReportReason.values:
        return report_page(request, _("Choisissez un motif de signalement."), status=400, comment=comment)
    if over_report_limit(request):
        message = _("Vous avez envoyé beaucoup de signalements : réessayez dans une heure.")
        return report_page(request, message, status=429, comment=comment)
    try:
        services.report_comment(comment_id=comment.pk, reason=reason, reporter_hash=reporter_hash(request))
    except Comment.DoesNotExist:
        return report_page(request, _("Ce commentaire n’est plus publié."), status=410)
    message = _("Merci : votre signalement a été transmis à la modération.")
    return report_page(request, message, comment=comment)


# --- Decisions from the moderators' e-mail ------------------------------------


def decision_page(request, context, *, status=200):
    response = TemplateResponse(request, "comments/email_decision.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def email_decision(request, pk, token):
    """A link « Approuver » / « Rejeter » from the moderators' e-mail.

    GET shows the comment and one button; it never changes anything. POST
    acts once, through `comments.services`, in the name of the moderator the
    link was sent to. An expired, tampered or foreign link, a comment
    already decided or deleted: a French page, never a 500."""
    try:
        decision = read_decision(pk, token)
    except BadLink as error:
        return decision_page(request, {"message": error.message}, status=400)
    comment = Comment.objects.select_related("article", "moderated_by").filter(pk=pk).first()
    if comment is None:
        return decision_page(request, {"message": _("Ce commentaire a été supprimé.")}, status=410)
    context = {"comment": comment, "decision": decision, "status_label": CommentStatus(decision.status).label}
    if comment.status != CommentStatus.PENDING:
        context["message"] = already_message(AlreadyModerated(comment))
        return decision_page(request, context, status=409 if request.method == "POST" else 200)
    if request.method == "GET":
        return decision_page(request, {**context, "confirm": True})
    try:
        services.change_comment_status(
            pk, status=decision.status, moderator=decision.moderator, expected_status=CommentStatus.PENDING
        )
    except AlreadyModerated as error:
        return decision_page(request, {**context, "message": already_message(error)}, status=409)
    done = _("Commentaire approuvé.") if decision.action == "approve" else _("Commentaire rejeté.")
    return decision_page(request, {**context, "message": done, "done": True})
