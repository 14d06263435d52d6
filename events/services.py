"""Workflows on events, called by the admin (and the shell) alike."""

from datetime import timedelta

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record_action
from events.models import Event, EventOrganiser, Participation, ProgrammeItem, PublicationStatus, free_slug

PUBLISH_PERMISSION = "events.publish_event"


def can_publish_events(user) -> bool:
    """Publishing, scheduling and unpublishing an event belong to the
    editor-in-chief (`events.publish_event`); None is the system (demo)."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def is_public(event) -> bool:
    return event.publication_status == PublicationStatus.PUBLISHED and event.published_at is not None


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
def publish_event(*, event: Event, by, at=None) -> Event:
    """Publish `event` now, or at `at` (a future time schedules it).

    Refused (PermissionDenied) unless `by` may publish (None: the system).
    Side effects: sets its publication status and date (keeping a date
    already set when `at` is not given) through `save_event` (a revision, a
    « Publication » or « Programmation » line in the journal), and freezes
    its participants' jobs (`freeze_participants`). Readers see it once the
    date has come.
    """
    event.publication_status = PublicationStatus.PUBLISHED
    event.published_at = at or event.published_at or timezone.now()
    save_event(event=event, by=by)
    freeze_participants(event=event)
    return event


@transaction.atomic
def save_event(*, event: Event, by) -> Event:
    """Save `event` as an editor changed it (the admin form calls this).

    Refused (PermissionDenied) when `by` may not publish and the event is,
    was or would become published or scheduled. Side effects: the save (a
    revision by `by`); a « Publication », « Programmation » or
    « Dépublication » line in the journal when the publication changes.
    """
    now = timezone.now()
    before = (
        Event.objects.filter(pk=event.pk).values("publication_status", "published_at").first()
        if event.pk
        else None
    )
    was_public = bool(
        before and before["publication_status"] == PublicationStatus.PUBLISHED and before["published_at"]
    )
    if event.publication_status == PublicationStatus.PUBLISHED and event.published_at is None:
        event.published_at = now
    if (was_public or is_public(event)) and not can_publish_events(by):
        raise PermissionDenied(
            _("Seule la rédaction en chef peut publier, programmer ou dépublier un événement.")
        )
    with reversion.create_revision():
        reversion.set_user(by)
        event.save()
    changed = before is None or (before["publication_status"], before["published_at"]) != (
        event.publication_status,
        event.published_at,
    )
    if changed and is_public(event):
        action = AuditAction.SCHEDULE if event.published_at > now else AuditAction.PUBLISH
        record_action(
            action=action, actor=by, obj=event, details={"published_at": event.published_at.isoformat()}
        )
    elif changed and was_public:
        record_action(action=AuditAction.UNPUBLISH, actor=by, obj=event)
    return event


@transaction.atomic
def delete_events(*, events, by, bulk=False) -> int:
    """Delete `events`. Refused for a public one unless `by` may publish.
    Side effects: one « Suppression » line per event in the journal; their
    revisions stay."""
    rows = list(Event.objects.select_for_update().filter(pk__in=list(events.values_list("pk", flat=True))))
    if any(is_public(event) for event in rows) and not can_publish_events(by):
        raise PermissionDenied(_("Seule la rédaction en chef peut supprimer un événement publié."))
    for event in rows:
        record_action(
            action=AuditAction.DELETE,
            actor=by,
            obj=event,
            bulk=bulk,
            details={"path": event.get_absolute_url()},
        )
    Event.objects.filter(pk__in=[event.pk for event in rows]).delete()
    return len(rows)


@transaction.atomic
def duplicate_event_as_next_edition(*, event: Event, by=None) -> Event:
    """Create the next edition of `event` as an unpublished draft.

    Side effects: a new Event (edition + 1, same series, title, venue,
    organisers and related nothing) placed 52 weeks later as a placeholder
    date; its programme copied with the same times of day, and the same
    participants with their *current* job (the old edition keeps the job they
    held then). Status, publication date, image, related articles and the
    announced event are not copied. The new event's first revision and a
    « Duplication d'une édition » line in the journal name `by`.
    """
    edition = (event.edition or 1) + 1
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Duplication de l'édition précédente"))
        new = _copy_event(event, edition)
    record_action(
        action=AuditAction.DUPLICATE, actor=by, obj=new, details={"from_event": event.pk, "edition": edition}
    )
    return new


def _copy_event(event, edition):
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
