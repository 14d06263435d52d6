"""The article admin's date bar at any archive size."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Max, Min
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def date_hierarchy_from_bounds(cl):
    """Django's date hierarchy, except at its top level: the years from the
    first to the last date (the MIN and MAX that Django reads anyway, two
    index look-ups) instead of a DISTINCT over every article. A newsroom
    publishes every year, so no year link leads to an empty list; the months
    and days below a year keep Django's own, bounded by that year. Search
    results (at most MAX_RESULTS, see articles/search.py) get no date bar."""
    field_name = cl.date_hierarchy
    if cl.query:
        return {"show": False}
    if any(cl.params.get(f"{field_name}__{part}") for part in ("year", "month", "day")):
        return date_hierarchy(cl)
    bounds = cl.queryset.aggregate(first=Min(field_name), last=Max(field_name))
    if bounds["first"] is None or bounds["last"] is None:
        return {"show": False}
    first, last = (timezone.localtime(bounds[name]).year for name in ("first", "last"))
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({f"{field_name}__year": year}, [f"{field_name}__"]),
                "title": str(year),
            }
            for year in range(first, last + 1)
        ],
        "field_name": cl.model._meta.get_field(field_name).verbose_name,
    }
