"""iCalendar export: one `.ics` per event and a feed of upcoming events.

The `icalendar` library escapes text (commas, semicolons, newlines) and folds
long lines; `add_missing_timezones()` embeds the Europe/Paris VTIMEZONE so that
calendars without a time-zone database place the event right.
"""

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from events.models import EventStatus

PARIS = ZoneInfo("Europe/Paris")

ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    # iCalendar has no "postponed": the date is no longer certain.
    EventStatus.POSTPONED: "TENTATIVE",
}


def _summary(event):
    if event.status == EventStatus.POSTPONED:
        return _("[Reporté] %(title)s") % {"title": event.full_title}
    if event.status == EventStatus.CANCELLED:
        return _("[Annulé] %(title)s") % {"title": event.full_title}
    return event.full_title


def _description(event):
    lines = [event.standfirst]
    if event.status != EventStatus.SCHEDULED and event.status_reason:
        lines.append(event.status_reason)
    organisers = [link.organisation.name for link in event.organiser_links.all()]
    if organisers:
        lines.append(_("Organisateurs : %(names)s") % {"names": ", ".join(organisers)})
    lines.append(event.absolute_url)
    return "\n\n".join(lines)


def build_vevent(event):
    vevent = icalendar.Event()
    vevent.add("uid", event.calendar_uid)
    vevent.add("dtstamp", event.updated_at.astimezone(ZoneInfo("UTC")))
    vevent.add("last-modified", event.updated_at.astimezone(ZoneInfo("UTC")))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.starts_at.astimezone(PARIS))
    vevent.add("dtend", event.calendar_ends_at.astimezone(PARIS))
    vevent.add("summary", _summary(event))
    vevent.add("description", _description(event))
    vevent.add("url", event.absolute_url)
    vevent.add("status", ICAL_STATUS[event.status])
    if event.venue:
        vevent.add("location", event.venue.one_line)
        if event.venue.has_coordinates:
            vevent.add("geo", (float(event.venue.latitude), float(event.venue.longitude)))
    return vevent


def build_calendar(events, *, name):
    """An iCalendar (bytes) holding `events`, with their time zone."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Evenements//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # Non-standard properties are not escaped unless typed as text.
    cal.add("x-wr-calname", icalendar.vText(" ".join(name.split())))
    cal.add("x-wr-timezone", icalendar.vText(settings.TIME_ZONE))
    for event in events:
        cal.add_component(build_vevent(event))
    cal.add_missing_timezones()
    return cal.to_ical()


def ics_filename(event):
    return f"{event.slug}.ics"


def web_calendar_links(event):
    """Links that open a pre-filled form in common web calendars (links only:
    the reader's browser goes there, our server makes no request)."""
    utc = ZoneInfo("UTC")
    start = event.starts_at.astimezone(utc)
    end = event.calendar_ends_at.astimezone(utc)
    location = event.venue.one_line if event.venue else ""
    details = f"{event.standfirst}\n\n{event.absolute_url}"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.full_title,
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "details": details,
            "location": location,
            "ctz": settings.TIME_ZONE,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.full_title,
            "startdt": start.isoformat().replace("+00:00", "Z"),
            "enddt": end.isoformat().replace("+00:00", "Z"),
            "location": location,
            "body": details,
        }
    )
    return {"google": google, "outlook": outlook}
