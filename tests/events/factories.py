"""Small factories for the events tests."""

import itertools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.models import (
    Event,
    EventOrganiser,
    Organisation,
    Participation,
    Person,
    ProgrammeItem,
    PublicationStatus,
    Venue,
)

PARIS = ZoneInfo("Europe/Paris")
_counter = itertools.count(1)


def paris(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def in_days(days, hour=10, minute=0):
    """A Paris date-time `days` from today at `hour`."""
    return paris(timezone.localdate() + timedelta(days=days), hour, minute)


def make_venue(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Salle {n}")
    fields.setdefault("address", f"{n} rue de la République")
    fields.setdefault("postcode", "13002")
    fields.setdefault("city", "Marseille")
    return Venue.objects.create(**fields)


def make_organisation(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Organisation {n}")
    return Organisation.objects.create(**fields)


def make_person(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Personne {n}")
    fields.setdefault("job_title", f"Fonction {n}")
    if "organisation" not in fields:
        fields["organisation"] = make_organisation()
    return Person.objects.create(**fields)


def make_event(*, organisers=(), **fields):
    """A published event in 30 days at 10:00 (Paris), unless told otherwise."""
    n = next(_counter)
    fields.setdefault("title", f"Rencontre numéro {n}")
    fields.setdefault("slug", f"rencontre-{n}")
    fields.setdefault("standfirst", f"Présentation de la rencontre {n}.")
    fields.setdefault("starts_at", in_days(30))
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "venue" not in fields:
        fields["venue"] = make_venue()
    event = Event.objects.create(**fields)
    for position, organisation in enumerate(organisers):
        EventOrganiser.objects.create(event=event, organisation=organisation, position=position)
    return event


def make_programme_item(event, *, people=(), **fields):
    n = next(_counter)
    fields.setdefault("title", f"Séquence {n}")
    fields.setdefault("starts_at", event.starts_at)
    item = ProgrammeItem.objects.create(event=event, **fields)
    for position, person in enumerate(people):
        Participation.objects.create(item=item, person=person, position=position)
    return item


def make_programme(event, *, items, people_per_item):
    """`items` programme items of `people_per_item` participants each."""
    for index in range(items):
        people = [make_person() for _ in range(people_per_item)]
        make_programme_item(event, starts_at=event.starts_at + timedelta(minutes=10 * index), people=people)
