from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.calendar import web_calendar_links
from events.dates import format_day, format_event_dates, format_item_time
from events.models import Event
from events.structured_data import event_data, json_ld_script, person_data
from newsroom.cache import EVENTS
from newsroom.page_cache import fragment

register = template.Library()


@register.simple_tag
def agenda():
    """The « Agenda » block of the home page: the next events, one query,
    kept until an event changes or passes (newsroom/cache.py)."""

    def build():
        events = Event.objects.published().upcoming().select_related("venue", "series")
        return render_to_string(
            "events/_agenda.html", {"events": list(events[: settings.EVENTS_AGENDA_SIZE])}
        )

    return mark_safe(fragment("agenda", build, token=EVENTS, timeout=settings.PAGE_CACHE_TIMEOUT))  # noqa: S308


@register.simple_tag
def event_box(article):
    """The box at the end of an article linked to an event: the event's own
    programme (times, sessions, speakers and their roles at the event), the
    event it announces, its organisers and registration — entered once, in
    the event. One query without an event, four with (whatever the size of
    the programme); kept until an event changes or passes (newsroom/cache.py).
    An article without a box does not depend on the events."""

    def build():
        events = Event.objects.published().filter(related_articles=article).with_programme()
        events = list(events.order_by("starts_at", "pk"))
        if not events:
            return ""
        return render_to_string("events/_event_box.html", {"article": article, "events": events})

    html = fragment(
        f"event-box:{article.pk}", build, token=EVENTS, timeout=settings.PAGE_CACHE_TIMEOUT, record=bool
    )
    return mark_safe(html)  # noqa: S308 (our own template's output)


@register.filter
def event_dates(event):
    """« lundi 10 juillet, à partir de 10 h »."""
    return format_event_dates(event.starts_at, event.ends_at)


@register.filter
def event_day(moment):
    """« lundi 10 juillet » (with the year when it is not this one)."""
    return format_day(moment)


@register.filter
def item_time(item):
    """« 10 h », « 10 h – 11 h 15 »."""
    return format_item_time(item.starts_at, item.ends_at)


@register.simple_tag
def event_json_ld(event):
    return json_ld_script(event_data(event))


@register.simple_tag
def person_json_ld(person):
    return json_ld_script(person_data(person))


@register.simple_tag
def calendar_links(event):
    return web_calendar_links(event)


@register.filter
def euros(amount):
    """« 45 € », « 12,50 € »."""
    if amount is None:
        return ""
    if amount == amount.to_integral_value():
        return _("%(amount)s €") % {"amount": f"{int(amount):,}".replace(",", "\u202f")}
    return _("%(amount)s €") % {"amount": f"{amount:.2f}".replace(".", ",")}
