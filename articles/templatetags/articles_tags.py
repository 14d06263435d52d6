import json
from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article

register = template.Library()

# Below this gap after publication, a save is the publishing itself or a
# quick fix, not an update worth announcing to readers.
MEANINGFUL_UPDATE = timedelta(hours=1)

# What would let a string close the <script> element or open a comment.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("articles/_related.html")
def related_articles(article, limit=4):
    """« À lire aussi » under an article: two queries (see `related_to`)."""
    return {"articles": Article.objects.published().related_to(article, limit=limit)}


@register.inclusion_tag("articles/_most_read.html")
def most_read(days=7, limit=5):
    """« Sujets les + lus »: the most read published articles of the last days, one query."""
    return {"articles": list(Article.objects.published().most_read(days=days, limit=limit))}


@register.filter
def absolute_url(path):
    """`/articles/x/` → `https://site/articles/x/`, from `SITE_URL`; an
    address that is already absolute (media on a CDN) is kept."""
    if not path:
        return ""
    return path if "://" in path else f"{settings.SITE_URL}{path}"


@register.filter
def meaningful_update(article):
    """The update time to show readers, or None when the article was not
    changed meaningfully after its publication."""
    if article.published_at and article.updated_at - article.published_at > MEANINGFUL_UPDATE:
        return article.updated_at
    return None


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


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
        data["dateModified"] = _iso(max(article.updated_at, article.published_at))
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
