"""Filters for `articles/_picture.html`: read the renditions stored on the
article (no query, no file access); addresses come from `rendition_url`."""

from django import template

from articles.images import rendition_url

register = template.Library()


@register.filter
def srcset(renditions, image_format):
    """`url 480w, url 800w, …` for the renditions of one format ("webp", "jpeg")."""
    return ", ".join(
        f"{rendition_url(rendition)} {rendition['width']}w"
        for rendition in sorted(renditions or [], key=lambda rendition: rendition["width"])
        if rendition.get("format") == image_format
    )


@register.filter
def fallback_rendition(renditions, max_width=1200):
    """The widest JPEG (or PNG) rendition not above `max_width` (the
    narrowest one if all are wider), for `<img src>` in browsers without
    `srcset`."""
    jpegs = sorted(
        (rendition for rendition in renditions or [] if rendition.get("format") in ("jpeg", "png")),
        key=lambda rendition: rendition["width"],
    )
    if not jpegs:
        return None
    fitting = [rendition for rendition in jpegs if rendition["width"] <= int(max_width)]
    chosen = fitting[-1] if fitting else jpegs[0]
    return {**chosen, "url": rendition_url(chosen)}
