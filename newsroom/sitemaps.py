"""The site's sitemaps, in one registry since they span apps.

`/sitemap.xml` is a sitemap index: one entry per page of each section below
(`/sitemap-articles.xml?p=2`…), each page at most 1,000 URLs (the protocol
allows 50,000) and built from one id range, so any page costs the same on a
large archive. `/sitemap-news.xml` is the Google News sitemap, linked from
robots.txt.
"""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.html import escape

from articles.sitemaps import ArticleSitemap, AuthorSitemap, NewsSitemap, SectionSitemap, TagSitemap
from events.sitemaps import EventSitemap
from newsroom.cache import SITEMAPS
from newsroom.caching import public_page
from pages.sitemaps import PageSitemap

INDEX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'

sitemaps = {
    "articles": ArticleSitemap,
    "rubriques": SectionSitemap,
    "mots-cles": TagSitemap,
    "auteurs": AuthorSitemap,
    "evenements": EventSitemap,
    "pages": PageSitemap,
}


def sitemap_index(request):
    """`/sitemap.xml`: every page of every section, on `SITE_URL` (Django's
    own index would use the request's host). One query per section (its
    number of pages); a section with nothing to list is left out. Written
    without a template: the index gains a line per 1,000 articles, and a
    template loop would make that line the most expensive part of the page."""
    lines = [INDEX_HEAD]
    for section, sitemap_class in sitemaps.items():
        url = escape(settings.SITE_URL + reverse("sitemap_section", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        lines += [
            f"<sitemap><loc>{url}{'' if page == 1 else f'?p={page}'}</loc></sitemap>"
            for page in range(1, pages + 1)
        ]
    lines.append("</sitemapindex>\n")
    return HttpResponse(
        "\n".join(lines),
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )


urlpatterns = [
    path("sitemap.xml", public_page(sitemap_index, dependencies=[SITEMAPS]), name="sitemap_index"),
    path(
        "sitemap-news.xml",
        public_page(sitemap_views.sitemap, dependencies=[SITEMAPS]),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, dependencies=[SITEMAPS]),
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
]
