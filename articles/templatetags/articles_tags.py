import json

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article
from newsroom.cache import MOST_READ, article_page_fragment
from newsroom.page_cache import EVERYTHING, fragment

register = template.Library()

# What would let a string close the <script> element or open a comment.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def related_articles(article, limit=4):
    """« À lire aussi » under an article: two queries (see `related_to`),
    kept for the whole site's pages at most SIDEBAR_CACHE_SECONDS (a newly
    published article joins the lists of others then; an article readers can
    no longer see leaves every page at once: newsroom/cache.py). Previews of
    an unpublished article are rendered afresh."""

    def build():
        related = Article.objects.published().related_to(article, limit=limit)
        return render_to_string("articles/_related.html", {"articles": related})

    if not article.is_published:
        return mark_safe(build())  # noqa: S308 (our template)
    html = fragment(f"related:{article.pk}", build, token=EVERYTHING, timeout=settings.SIDEBAR_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our template)


@register.simple_tag
def most_read(days=7, limit=5):
    """« Sujets les + lus »: the most read published articles of the last days.

    One query, made at most every SIDEBAR_CACHE_SECONDS for the whole site:
    reads reach the table in batches anyway (articles/reads.py). An edited or
    unpublished article listed here drops it at once (newsroom/cache.py)."""

    def build():
        articles = list(Article.objects.published().most_read(days=days, limit=limit))
        html = render_to_string("articles/_most_read.html", {"articles": articles})
        return {"html": html, "ids": [article.pk for article in articles]}

    value = fragment(MOST_READ, build, timeout=settings.SIDEBAR_CACHE_SECONDS)
    return mark_safe(value["html"])  # noqa: S308 (our own template's output)


ARTICLE_PARTS = {"meta": "articles/_meta.html", "main": "articles/_article_main.html"}


@register.simple_tag(takes_context=True)
def article_part(context, part):
    """What only the article shows on its page — its metadata (`meta`), its
    text with byline, photo and tags (`main`) — rendered once per version of
    the article and kept until it changes (newsroom/cache.py), so that a page
    rendered again costs no query for its authors and tags. Previews of
    unpublished articles are rendered afresh."""
    article = context["article"]
    template = context.template.engine.get_template(ARTICLE_PARTS[part])

    def build():
        prefetch_related_objects([article], "authors", "tags")
        return template.render(context)

    return mark_safe(article_page_fragment(article, f"article-{part}", build))  # noqa: S308 (our template)


@register.filter
def absolute_url(path):
    """`/articles/x/` → `https://site/articles/x/`, from `SITE_URL`; an
    address that is already absolute (media on a CDN) is kept."""
    if not path:
        return ""
    return path if "://" in path else f"{settings.SITE_URL}{path}"


@register.filter
def meaningful_update(article):
    """The update time to show readers: only when an editor ticked
    « modification significative » (never a photo processed, a comment, a
    typo fixed). None otherwise."""
    return article.shown_update


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


@register.filter
def w3c_datetime(moment):
    """`2026-07-10T09:38:00+02:00`: Paris time, to the second (sitemaps)."""
    return _iso(moment) if moment else ""


def news_article_data(article):
    """The schema.org `NewsArticle` of an article, as a dict."""
    url = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.meta_description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "articleSection": article.section.name,
        "inLanguage": "fr-FR",
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in article.authors.all()
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": f"{settings.SITE_URL}/"},
    }
    if article.published_at:
        data["datePublished"] = _iso(article.published_at)
        data["dateModified"] = _iso(article.public_modified_at)
    if article.public_corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": _iso(correction.published_at),
            }
            for correction in article.public_corrections
        ]
    if article.image:
        image = {
            "@type": "ImageObject",
            "url": absolute_url(article.image.url),
            "width": article.image_width,
            "height": article.image_height,
        }
        if article.image_caption:
            image["caption"] = article.image_caption
        if article.image_credit:
            image["creditText"] = article.image_credit
        data["image"] = [image]
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    # The discussion: the published comments and where they are read.
    data["commentCount"] = article.approved_comment_count
    data["discussionUrl"] = f"{url}#commentaires"
    return data


@register.simple_tag
def article_json_ld(article):
    """`<script type="application/ld+json">` for the article, escaped so that no
    value (a title holding `</script>`) can end the element."""
    payload = json.dumps(news_article_data(article), ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
