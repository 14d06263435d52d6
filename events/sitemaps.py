"""The events' sitemap (listed by the project's registry, `newsroom/sitemaps.py`)."""

from articles.sitemaps import IdRangeSitemap
from events.models import Event


class EventSitemap(IdRangeSitemap):
    changefreq = "weekly"

    def items(self):
        # Whole rows: an event remembers its calendar fields when loaded.
        return Event.objects.published()

    def lastmod(self, item):
        return item.updated_at
