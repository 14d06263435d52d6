"""The trust pages' sitemap (listed by the project's registry, `newsroom/sitemaps.py`)."""

from articles.sitemaps import SiteUrlSitemap
from pages.models import Page


class PageSitemap(SiteUrlSitemap):
    changefreq = "yearly"
    priority = 0.2

    def items(self):
        return Page.objects.order_by("kind")
