"""Filters for `articles/_picture.html`: read the renditions stored on the
article (no query, no file access).

Addresses come from the storage at render time, from each rendition's file
name: moving the media to another host or CDN (`MEDIA_URL`) needs no change
to the stored renditions."""

from django import template
from django.core.files.storage import default_storage

register = template.Library()


def rendition_url(rendition):
    return default_storage.url(rendition["name"])


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
    """The widest JPEG rendition not above `max_width` (the narrowest one if
    all are wider), for `<img src>` in browsers without `srcset`."""
    jpegs = sorted(
        (rendition for rendition in renditions or [] if rendition.get("format") == "jpeg"),
        key=lambda rendition: rendition["width"],
    )
    if not jpegs:
        return None
    fitting = [rendition for rendition in jpegs if rendition["width"] <= int(max_width)]
    chosen = fitting[-1] if fitting else jpegs[0]
    return {**chosen, "url": rendition_url(chosen)}
