from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from newsroom.page_cache import EVERYTHING, fragment


def _navigation():
    return fragment(
        "nav",
        lambda: list(Section.objects.in_navigation()),
        token=EVERYTHING,
        timeout=settings.PAGE_CACHE_TIMEOUT,
    )


def site(request):
    """Site name and the section navigation, shown on every page.

    `nav_sections` is lazy: it is looked up only where the masthead is
    rendered, in the shared cache (one query for the whole site until a
    section changes, see newsroom/cache.py).
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_sections": SimpleLazyObject(_navigation),
    }
