from django import template

register = template.Library()


@register.inclusion_tag("events/_agenda.html")
def agenda():
    """The « Agenda » block of the home page: the next events."""
    return {"events": []}


@register.inclusion_tag("events/_event_box.html")
def event_box(article):
    """The event box at the end of an article linked to an event."""
    return {"article": article, "events": []}
