"""`sitemap.xml`: published articles and sections, with absolute URLs from `SITE_URL`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from articles.models import Article, Section


class _SiteUrlSitemap(Sitemap):
    """Addresses on `SITE_URL`, whatever host the request came through."""

    limit = 5000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(_SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.published().only("slug", "updated_at", "published_at").order_by("-published_at")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class SectionSitemap(_SiteUrlSitemap):
    changefreq = "daily"

    def items(self):
        return Section.objects.all()


sitemaps = {"articles": ArticleSitemap, "sections": SectionSitemap}
