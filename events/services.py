"""Workflows on events, called by the admin (and the shell) alike."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events.models import Event, EventOrganiser, Participation, ProgrammeItem, PublicationStatus, free_slug

# A year later on the same weekday: a placeholder the editors then correct.
NEXT_EDITION_SHIFT = timedelta(weeks=52)


@transaction.atomic
def freeze_participants(*, event: Event) -> int:
    """Freeze, for a published event, the job and organisation of every
    participant not frozen yet: each participation row gets the person's
    current ones where the editors entered none for this event.

    Called whenever a published event or its programme is saved (admin,
    `publish_event`, demo), so that a later change of someone's job never
    rewrites the pages of the events they spoke at. Does nothing for a draft.
    Side effects: updates those Participation rows (`job_title`,
    `organisation`, `frozen_at`). Returns how many were frozen.
    """
    if event.publication_status != PublicationStatus.PUBLISHED:
        return 0
    now = timezone.now()
    participations = list(
        Participation.objects.select_for_update()
        .select_related("person")
        .filter(item__event=event, frozen_at__isnull=True)
    )
    for participation in participations:
        participation.freeze(at=now)
    Participation.objects.bulk_update(participations, ["job_title", "organisation", "frozen_at"])
    return len(participations)


@transaction.atomic
def publish_event(*, event: Event, at=None) -> Event:
    """Publish `event` now, or at `at` (a future time schedules it).

    Side effects: sets its publication status and date (keeping a date
    already set when `at` is not given) and freezes its participants' jobs
    (`freeze_participants`). Readers see it once the date has come.
    """
    event.publication_status = PublicationStatus.PUBLISHED
    event.published_at = at or event.published_at or timezone.now()
    event.save(update_fields=["publication_status", "published_at", "updated_at"])
    freeze_participants(event=event)
    return event


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
        slug=free_slug(Event, f"{event.title}-{edition}", max_length=200),
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
