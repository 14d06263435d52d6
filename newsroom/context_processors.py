from django.conf import settings

from articles.models import Section


def site(request):
    """Site name and the section navigation, shown on every page.

    `sections` is a lazy queryset: it costs one query, only where the
    masthead is rendered.
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_sections": Section.objects.in_navigation(),
    }
