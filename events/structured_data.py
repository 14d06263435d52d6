"""schema.org `Event` JSON-LD of an event page, escaped for an HTML page."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.templatetags.articles_tags import absolute_url
from events.models import Admission, AttendanceMode, EventStatus, RegistrationState

EVENT_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
}

# As Django's json_script: a title holding "</script>" or "<!--" cannot end
# or disturb the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _place(venue):
    if venue is None:
        return None
    place = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "postalCode": venue.postcode,
            "addressLocality": venue.city,
            "addressCountry": "FR",
        },
    }
    if venue.has_coordinates:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return place


def _organisation(organisation):
    data = {"@type": "Organization", "name": organisation.name}
    if organisation.website:
        data["url"] = organisation.website
    return data


ATTENDANCE_MODE = {
    AttendanceMode.OFFLINE: "https://schema.org/OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "https://schema.org/MixedEventAttendanceMode",
}

AVAILABILITY = {
    RegistrationState.OPEN: "https://schema.org/InStock",
    RegistrationState.FULL: "https://schema.org/SoldOut",
    RegistrationState.CLOSED: "https://schema.org/OutOfStock",
}


def _performer(participation):
    person = participation.person
    data = {"@type": "Person", "name": person.name, "url": absolute_url(person.get_absolute_url())}
    if participation.shown_job_title:
        data["jobTitle"] = participation.shown_job_title
    if participation.shown_organisation:
        data["worksFor"] = _organisation(participation.shown_organisation)
    return data


def _dates(obj):
    data = {"startDate": timezone.localtime(obj.starts_at).isoformat()}
    if obj.ends_at:
        data["endDate"] = timezone.localtime(obj.ends_at).isoformat()
    return data


def _offer(event):
    """What it costs and whether places are left, when the editors said so."""
    if not event.admission and not event.registration_link:
        return None
    offer = {"@type": "Offer", "url": event.registration_url or event.absolute_url, "priceCurrency": "EUR"}
    if event.admission == Admission.FREE:
        offer["price"] = "0"
    elif event.admission == Admission.PAID:
        offer["price"] = f"{event.price:.2f}"
    availability = AVAILABILITY.get(event.registration_state)
    if availability:
        offer["availability"] = availability
    if event.published_at:
        offer["validFrom"] = timezone.localtime(event.published_at).isoformat()
    if event.registration_deadline:
        offer["validThrough"] = timezone.localtime(event.registration_deadline).isoformat()
    return offer


def event_data(event):
    """The JSON-LD dict; needs the prefetches of the event page."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.full_title,
        "description": event.standfirst,
        "url": event.absolute_url,
        **_dates(event),
        "eventStatus": EVENT_STATUS[event.status],
        "eventAttendanceMode": ATTENDANCE_MODE[event.attendance_mode],
    }
    place = _place(event.venue)
    if event.attendance_mode != AttendanceMode.OFFLINE:
        online = {"@type": "VirtualLocation", "url": event.registration_url or event.absolute_url}
        place = [place, online] if place and event.attendance_mode == AttendanceMode.MIXED else online
    if place:
        data["location"] = place
    offer = _offer(event)
    if offer:
        data["offers"] = offer
    if event.admission == Admission.FREE:
        data["isAccessibleForFree"] = True
    if event.remaining_capacity is not None:
        data["remainingAttendeeCapacity"] = event.remaining_capacity
    if event.image:
        data["image"] = absolute_url(event.image.url)
    organisers = [_organisation(link.organisation) for link in event.organiser_links.all()]
    if organisers:
        data["organizer"] = organisers
    sub_events = []
    for item in event.programme_items.all():
        sub_event = {"@type": "Event", "name": item.title, **_dates(item)}
        if place:
            sub_event["location"] = place
        performers = [_performer(participation) for participation in item.participations.all()]
        if performers:
            sub_event["performer"] = performers
        sub_events.append(sub_event)
    if sub_events:
        data["subEvent"] = sub_events
    announced = event.announces
    if announced is not None and announced.is_published:
        super_event = {
            "@type": "Event",
            "name": announced.full_title,
            "url": announced.absolute_url,
            **_dates(announced),
            "eventStatus": EVENT_STATUS[announced.status],
        }
        if announced.venue:
            super_event["location"] = _place(announced.venue)
        data["superEvent"] = super_event
    return data


def person_data(person):
    """The schema.org `Person` of a speaker's page (today's job)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(person.get_absolute_url()),
    }
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.organisation:
        data["worksFor"] = _organisation(person.organisation)
    if person.bio:
        data["description"] = person.bio
    if person.photo:
        data["image"] = absolute_url(person.photo.url)
    return data


def json_ld_script(data):
    """`<script type="application/ld+json">` with `<`, `>` and `&` escaped."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
