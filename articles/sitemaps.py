"""Sitemaps of the articles app: articles, sections, tags, authors, and the
Google News sitemap. The project's registry is `newsroom/sitemaps.py`.

Absolute URLs come from `SITE_URL`. Large sitemaps are cut into pages of
consecutive ids (`IdRangePaginator`), so that any page, the last one
included, is one index range scan and never an OFFSET over the archive.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, Min, OuterRef
from django.utils import timezone

from articles.models import Article, Author, Section, Tag

# URLs per sitemap page: well under the protocol's 50,000, so that a page
# costs the same to build on a young site as on a large archive.
SITEMAP_PAGE_SIZE = 1000
NEWS_MAX_AGE = timezone.timedelta(hours=48)
NEWS_MAX_URLS = 1000  # Google News reads at most 1,000 URLs per sitemap


class _IdRangePage:
    def __init__(self, object_list, number):
        self.object_list = object_list
        self.number = number


class IdRangePaginator:
    """Pages of `per_page` consecutive ids of `queryset`: page n holds the
    items whose id falls in the n-th range after the smallest one. A page can
    hold fewer items than `per_page` (ids of drafts or deleted rows) and never
    more; a new item lands on the last page, so older pages keep their content.
    One query (MIN and MAX of the id) for the number of pages."""

    def __init__(self, queryset, per_page, *, bounds_queryset=None):
        self.queryset = queryset
        self.per_page = per_page
        bounds_queryset = queryset if bounds_queryset is None else bounds_queryset
        bounds = bounds_queryset.order_by().aggregate(first=Min("pk"), last=Max("pk"))
        self.first_id = bounds["first"]
        self.num_pages = 0 if self.first_id is None else (bounds["last"] - self.first_id) // per_page + 1

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(number) from error
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        start = self.first_id + (number - 1) * self.per_page
        items = self.queryset.filter(pk__gte=start, pk__lt=start + self.per_page).order_by("pk")
        return _IdRangePage(items, number)


class SiteUrlSitemap(Sitemap):
    """Addresses on `SITE_URL`, whatever host the request came through."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class IdRangeSitemap(SiteUrlSitemap):
    """A sitemap cut into pages of consecutive ids (see IdRangePaginator)."""

    limit = SITEMAP_PAGE_SIZE

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit, bounds_queryset=self.id_bounds())

    def id_bounds(self):
        """Where the ids are taken from: by default the items themselves."""
        return self.items()

    def get_latest_lastmod(self):
        # One date for every page would be wrong (old pages rarely change),
        # and computing one per page would read the whole archive.
        return None


class ArticleSitemap(IdRangeSitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at", "published_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class SectionSitemap(SiteUrlSitemap):
    changefreq = "daily"

    def items(self):
        return Section.objects.all()


class _LinkedToArticlesSitemap(IdRangeSitemap):
    """Tags or authors linked to at least one article: a page with
    articles to show. The test reads the link table's index only (its
    articles' status would make every page read the whole archive); the
    pages are the ranges of all ids, cheap to bound."""

    changefreq = "daily"
    model = None
    link_field = ""

    def items(self):
        links = self.model.articles.through.objects.filter(**{self.link_field: OuterRef("pk")})
        return self.model.objects.filter(Exists(links)).only("slug")

    def id_bounds(self):
        return self.model.objects.all()


class TagSitemap(_LinkedToArticlesSitemap):
    model = Tag
    link_field = "tag"


class AuthorSitemap(_LinkedToArticlesSitemap):
    model = Author
    link_field = "author"


class NewsSitemap(SiteUrlSitemap):
    """Google News: the articles published in the last 48 hours, newest
    first, with the publication's name and language (template
    `sitemaps/news.xml`, namespace `news:`)."""

    limit = NEWS_MAX_URLS

    def items(self):
        since = timezone.now() - NEWS_MAX_AGE
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "title", "published_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.published_at
