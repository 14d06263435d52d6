"""Workflows on events, called by the admin (and the shell) alike."""

from datetime import timedelta

from django.db import transaction
from django.utils.text import slugify

from events.models import Event, EventOrganiser, Participation, ProgrammeItem, PublicationStatus

# A year later on the same weekday: a placeholder the editors then correct.
NEXT_EDITION_SHIFT = timedelta(weeks=52)


def _free_slug(base):
    slug, n = base[:200], 2
    while Event.objects.filter(slug=slug).exists():
        slug = f"{base[:195]}-{n}"
        n += 1
    return slug


@transaction.atomic
def duplicate_event_as_next_edition(*, event: Event) -> Event:
    """Create the next edition of `event` as an unpublished draft.

    Side effects: a new Event (edition + 1, same series, title, venue,
    organisers and related nothing) placed 52 weeks later as a placeholder
    date; its programme copied with the same times of day, and the same
    participants with their *current* job (the old edition keeps the job they
    held then). Status, publication date, image, related articles and the
    announced event are not copied.
    """
    edition = (event.edition or 1) + 1
    new = Event.objects.create(
        series=event.series,
        edition=edition,
        title=event.title,
        slug=_free_slug(slugify(f"{event.title}-{edition}")),
        standfirst=event.standfirst,
        description=event.description,
        starts_at=event.starts_at + NEXT_EDITION_SHIFT,
        ends_at=event.ends_at + NEXT_EDITION_SHIFT if event.ends_at else None,
        venue=event.venue,
        publication_status=PublicationStatus.DRAFT,
    )
    EventOrganiser.objects.bulk_create(
        EventOrganiser(event=new, organisation_id=link.organisation_id, position=link.position)
        for link in event.organiser_links.all()
    )
    for item in event.programme_items.prefetch_related("participations"):
        copy = ProgrammeItem.objects.create(
            event=new,
            starts_at=item.starts_at + NEXT_EDITION_SHIFT,
            ends_at=item.ends_at + NEXT_EDITION_SHIFT if item.ends_at else None,
            kind=item.kind,
            title=item.title,
            description=item.description,
        )
        Participation.objects.bulk_create(
            Participation(item=copy, person_id=p.person_id, role=p.role, position=p.position)
            for p in item.participations.all()
        )
    return new
