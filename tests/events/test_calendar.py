from datetime import timedelta

import icalendar
import pytest
import vobject

from events.models import Event, EventStatus, PublicationStatus
from tests.events.factories import in_days, make_event, make_programme, make_venue

pytestmark = pytest.mark.django_db

TRICKY_TITLE = 'Le "grand" débat, enfin; </script>\nsuite & fin'


def _vevents(content):
    return icalendar.Calendar.from_ical(content).walk("VEVENT")


def test_event_ics_downloads_as_a_calendar_file(client):
    event = make_event(slug="forum-2027")

    response = client.get(event.get_ics_url())

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="forum-2027.ics"'


def test_event_ics_parses_with_icalendar_with_paris_time_zone(client, settings):
    settings.SITE_URL = "https://www.example.org"
    event = make_event(
        starts_at=in_days(10, 10), ends_at=in_days(10, 12, 30), venue=make_venue(name="Villa Gaby")
    )

    calendar = icalendar.Calendar.from_ical(client.get(event.get_ics_url()).content)

    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.pk}@www.example.org"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent.decoded("DTSTART").tzinfo) == "Europe/Paris"
    assert vevent.decoded("DTEND") == event.ends_at
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["LOCATION"]).startswith("Villa Gaby, ")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_event_ics_parses_with_vobject_and_keeps_tricky_text(client):
    event = make_event(title=TRICKY_TITLE, venue=make_venue(name="Salle A; étage 2, porte B"))

    parsed = vobject.readOne(client.get(event.get_ics_url()).content.decode())

    # Titles are stored on one line (control characters become spaces).
    assert parsed.vevent.summary.value == TRICKY_TITLE.replace("\n", " ")
    assert parsed.vevent.location.value.startswith("Salle A; étage 2, porte B, ")
    assert parsed.vevent.dtstart.value == event.starts_at
    assert parsed.vevent.uid.value == event.calendar_uid


def test_event_without_end_lasts_the_default_duration_in_calendars(client, settings):
    settings.EVENTS_DEFAULT_DURATION_MINUTES = 90
    event = make_event()

    (vevent,) = _vevents(client.get(event.get_ics_url()).content)

    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(minutes=90)


def test_cancelled_event_ics_says_cancelled(client):
    event = make_event(status=EventStatus.CANCELLED, status_reason="Intempéries.")

    (vevent,) = _vevents(client.get(event.get_ics_url()).content)

    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "Intempéries." in str(vevent["DESCRIPTION"])


def test_sequence_goes_up_when_the_date_changes_and_uid_stays():
    event = make_event()
    uid = event.calendar_uid

    event = Event.objects.get(pk=event.pk)
    event.starts_at += timedelta(hours=1)
    event.save()
    event.status = EventStatus.POSTPONED
    event.save()

    event.refresh_from_db()
    assert event.sequence == 2
    assert event.calendar_uid == uid


def test_moving_a_venue_updates_the_calendars_of_its_events(client):
    venue = make_venue(name="Villa Gaby", address="285 corniche Kennedy", postcode="13007")
    event = make_event(venue=venue)
    elsewhere = make_event()

    venue = type(venue).objects.get(pk=venue.pk)
    venue.address = "2 boulevard Charles-Livon"
    venue.save()
    venue.save()

    event.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (event.sequence, elsewhere.sequence) == (1, 0)
    vevent = _vevents(client.get(event.get_ics_url()).content)[0]
    assert vevent["SEQUENCE"] == 1
    assert str(vevent["LOCATION"]) == "Villa Gaby, 2 boulevard Charles-Livon, 13007 Marseille"


def test_sequence_stays_when_nothing_a_calendar_shows_changes():
    event = make_event()

    event = Event.objects.get(pk=event.pk)
    event.image_caption = "Nouvelle légende"
    event.save()

    event.refresh_from_db()
    assert event.sequence == 0


def test_calendar_feed_lists_upcoming_published_events_only(client):
    make_event(title="Bientôt", starts_at=in_days(3))
    make_event(title="Passé", starts_at=in_days(-3))
    make_event(title="Brouillon", publication_status=PublicationStatus.DRAFT)

    response = client.get("/evenements/agenda.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [str(v["SUMMARY"]) for v in _vevents(response.content)] == ["Bientôt"]
    assert [v.summary.value for v in vobject.readOne(response.content.decode()).vevent_list] == ["Bientôt"]


@pytest.mark.parametrize("count", [1, 10])
def test_calendar_query_counts_are_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        make_programme(make_event(), items=count, people_per_item=count)
    event = Event.objects.first()

    with django_assert_num_queries(2):
        client.get("/evenements/agenda.ics")
    with django_assert_num_queries(2):
        client.get(event.get_ics_url())


def test_postponed_event_is_tentative_and_says_so_in_its_title(client):
    event = make_event(title="Forum", status=EventStatus.POSTPONED, status_reason="Nouvelle date à venir.")

    (vevent,) = _vevents(client.get(event.get_ics_url()).content)

    assert str(vevent["STATUS"]) == "TENTATIVE"
    assert str(vevent["SUMMARY"]) == "[Reporté] Forum"
