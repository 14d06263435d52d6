"""RSS 2.0 and Atom feeds: the whole site and each section.

Links are absolute, built from `SITE_URL`, so that a feed read through a
proxy or a cache never carries an internal host name.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section
from newsroom.caching import apply_cache_policy

FEED_SIZE = 20


def absolute(path):
    return f"{settings.SITE_URL}{path}"


class LatestArticlesFeed(Feed):
    shared_page = True  # kept in the server-side page cache (newsroom/page_cache.py)
    description = _("Les derniers articles publiés par la rédaction.")
    language = "fr"

    def __call__(self, request, *args, **kwargs):
        return apply_cache_policy(request, super().__call__(request, *args, **kwargs))

    def title(self):
        return _("%(site)s — derniers articles") % {"site": settings.SITE_NAME}

    def link(self):
        return absolute(reverse("articles:home"))

    def feed_url(self):
        return absolute(reverse("articles:rss"))

    def items(self):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return absolute(item.get_absolute_url())

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """Publication, a significant update or a correction: not a photo
        processed or a comment moderated."""
        return item.public_modified_at

    def item_categories(self, item):
        return [item.section.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

    def feed_url(self):
        return absolute(reverse("articles:atom"))


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return _("%(site)s — %(section)s") % {"site": settings.SITE_NAME, "section": obj.name}

    def description(self, obj):
        return obj.description or _("Les derniers articles de la rubrique %(section)s.") % {
            "section": obj.name
        }

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("articles:section_rss", kwargs={"slug": obj.slug}))

    def items(self, obj):
        return Article.objects.published().filter(section=obj).for_listing()[:FEED_SIZE]


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)

    def feed_url(self, obj):
        return absolute(reverse("articles:section_atom", kwargs={"slug": obj.slug}))
