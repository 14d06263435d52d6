from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, Author, Section, Tag
from comments.context import comment_block_context
from newsroom.caching import PublicPageMixin


class HomeView(PublicPageMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()[:13]


class ArticleDetailView(PublicPageMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.visible_to(self.request.user)
            .select_related("section")
            .prefetch_related("authors", "tags")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(comment_block_context(self.request, self.object))
        return context


class _ArticleListView(PublicPageMixin, ListView):
    """A paginated list of published articles filtered by one object."""

    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"
    model_class = None
    filter_name = ""

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
