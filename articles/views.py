from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from articles import search
from articles.models import Article, Author, Correction, Section, Tag
from articles.reads import ReadOutcome
from articles.search import clean_query, search_articles
from articles.services import count_reader_view
from comments.context import comment_block_context
from newsroom.cache import published_article
from newsroom.caching import PublicPageMixin
from newsroom.http import client_ip
from newsroom.paginators import DeferredJoinPaginator

HOME_ARTICLE_COUNT = 13  # the lead story and twelve more


class HomeView(PublicPageMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()[:HOME_ARTICLE_COUNT]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["articles"])
        return {**context, "lead": articles[0] if articles else None, "latest": articles[1:]}


class ArticleDetailView(PublicPageMixin, DetailView):
    """The article page. Staff also see drafts and scheduled articles here, with
    a banner, in a private response; readers get a 404 for them."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # Authors and tags are fetched by the parts of the page that show
        # them, only when they are not in the cache (`article_part`).
        return Article.objects.visible_to(self.request.user).select_related("section")

    def get_object(self, queryset=None):
        """For a reader, from the cache while the page's tokens say the article
        has not changed (newsroom/cache.py); a 404 is never kept."""
        load = super().get_object
        return published_article(self.kwargs["slug"], lambda: load(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(comment_block_context(self.request, self.object))
        context["is_preview"] = not self.object.is_published
        context["personalised"] = context.get("personalised", False) or context["is_preview"]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        changes = [self.object.updated_at, self.object.comments_changed_at, self.object.corrected_at]
        response["Last-Modified"] = http_date(max(when for when in changes if when).timestamp())
        return response


class _ArticleListView(PublicPageMixin, ListView):
    """A paginated list of published articles filtered by one object. A page
    number that is not one, or past the end, is a 404 (`?page=last` works)."""

    context_object_name = "articles"
    model_class = None
    filter_name = ""
    paginator_class = DeferredJoinPaginator

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.object = get_object_or_404(self.model_class, slug=self.kwargs["slug"])
        return Article.objects.published().filter(**{self.filter_name: self.object}).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


class SectionView(_ArticleListView):
    template_name = "articles/section_detail.html"
    model_class = Section
    filter_name = "section"


class TagView(_ArticleListView):
    template_name = "articles/tag_detail.html"
    model_class = Tag
    filter_name = "tags"


class AuthorView(_ArticleListView):
    template_name = "articles/author_detail.html"
    model_class = Author
    filter_name = "authors"


class CorrectionListView(PublicPageMixin, ListView):
    """« Rectificatifs »: every correction of a published article, newest
    first, with its article; paginated like the sections."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Correction.objects.public()


class SearchView(PublicPageMixin, ListView):
    """`/recherche/?q=…`: any input gives results or the empty state."""

    template_name = "articles/search.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        self.results = None
        if not self.query:
            return Article.objects.none()
        self.results = search_articles(Article.objects.published().for_listing(), self.query)
        return self.results.articles

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self.results is not None:
            paginator.count = self.results.count  # known already: no COUNT query
        return paginator

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query,
            pagination_query=urlencode({"q": self.query}),
            results_capped=bool(self.results and self.results.capped),
            max_results=search.MAX_RESULTS,
            **kwargs,
        )


def _is_same_origin(request):
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin in {f"{request.scheme}://{request.get_host()}", settings.SITE_URL}


@never_cache
@csrf_exempt  # a beacon from a cached page has no token; the origin check stands in for it
@require_POST
def record_view(request, pk):
    """The beacon sent by `static/js/article.js` once an article is shown.

    Counts the read unless it comes from a robot or a staff member, or the
    rules against rigging refuse it (articles/reads.py); the page itself never
    writes, so a CDN may serve it. 204 for same-origin calls, whatever the id,
    429 when the address sent too many beacons this minute.
    """

    if not _is_same_origin(request):
        return HttpResponseForbidden()
    if request.user.is_staff:
        return HttpResponse(status=204)
    outcome = count_reader_view(
        article_id=pk, address=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    if outcome is ReadOutcome.TOO_MANY:
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    return HttpResponse(status=204)
