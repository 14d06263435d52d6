from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from newsroom.page_cache import EVERYTHING, fragment

register = template.Library()

# The pages whose own link in the navigation is marked as the current one.
NAVIGATION_VIEWS = {"articles:home", "articles:section", "events:list"}


def _site_part(context, template_name, variant=""):
    """`template_name` rendered once (per `variant`) and kept until a section
    changes or a release brings new static files (newsroom/cache.py)."""
    part = context.template.engine.get_template(template_name)
    html = fragment(
        f"site:{template_name}:{variant}",
        lambda: part.render(context),
        token=EVERYTHING,
        timeout=settings.PAGE_CACHE_TIMEOUT,
    )
    return mark_safe(html)  # noqa: S308 (our own template's output)


@register.simple_tag(takes_context=True)
def site_header(context):
    """The masthead and the section navigation (includes/header.html): the
    same on every page but for the link marked as current."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in NAVIGATION_VIEWS:
        current = request.path
    else:
        current = match.namespace if match is not None and match.namespace == "events" else ""
    return _site_part(context, "includes/header.html", current)


@register.simple_tag(takes_context=True)
def site_fragment(context, template_name):
    """A part of every page that is the same on every page (the stylesheets,
    the footer)."""
    return _site_part(context, template_name)
