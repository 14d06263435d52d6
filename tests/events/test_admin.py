import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events.models import Event, Participation, ProgrammeItem, PublicationStatus
from events.services import duplicate_event_as_next_edition
from tests.conftest import plain
from tests.events.factories import make_event, make_organisation, make_person, make_programme_item, make_venue

pytestmark = pytest.mark.django_db


def _split(value):
    local = timezone.localtime(value)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _event_form(*, venue, starts_at, ends_at=None, item_starts_at=None, **overrides):
    start_date, start_time = _split(starts_at)
    end_date, end_time = _split(ends_at) if ends_at else ("", "")
    item_date, item_time = _split(item_starts_at or starts_at)
    now_date, now_time = _split(timezone.now() - timedelta(minutes=1))
    data = {
        "title": "Rencontres de l'industrie",
        "slug": "rencontres-industrie",
        "standfirst": "Une matinée sur l'industrie.",
        "description": "<p>Programme <script>alert(1)</script>détaillé</p>",
        "starts_at_0": start_date,
        "starts_at_1": start_time,
        "ends_at_0": end_date,
        "ends_at_1": end_time,
        "venue": str(venue.pk),
        "status": "scheduled",
        "attendance_mode": "offline",
        "admission": "",
        "publication_status": "published",
        "published_at_0": now_date,
        "published_at_1": now_time,
        **_management("organiser_links", 0),
        **_management("programme_items", 1),
        "programme_items-0-starts_at_0": item_date,
        "programme_items-0-starts_at_1": item_time,
        "programme_items-0-kind": "round_table",
        "programme_items-0-title": "L'usine du futur",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editor_group_may_manage_events():
    permissions = set(Group.objects.get(name="Rédaction").permissions.values_list("codename", flat=True))

    assert {"add_event", "change_programmeitem", "add_participation", "delete_person"} <= permissions


def test_editor_creates_an_event_with_a_programme_item_then_a_speaker(editor_client, client):
    venue = make_venue(name="Villa Gaby")
    starts_at = timezone.now().replace(microsecond=0, second=0) + timedelta(days=20)

    response = editor_client.post("/admin/events/event/add/", _event_form(venue=venue, starts_at=starts_at))

    assert response.status_code == 302
    event = Event.objects.get(slug="rencontres-industrie")
    assert event.description == "<p>Programme détaillé</p>"
    item = event.programme_items.get()
    person = make_person(name="Nadia Ferhat")
    response = editor_client.post(
        f"/admin/events/programmeitem/{item.pk}/change/",
        {
            "event": str(event.pk),
            "starts_at_0": _split(item.starts_at)[0],
            "starts_at_1": _split(item.starts_at)[1],
            "kind": "round_table",
            "title": "L'usine du futur",
            **_management("participations", 1),
            "participations-0-person": str(person.pk),
            "participations-0-role": "speaker",
            "participations-0-position": "0",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get("/evenements/")
    assert "Rencontres de l'industrie" in plain(page)
    assert "Nadia Ferhat" in client.get(event.get_absolute_url()).content.decode()
    # Added to a published event: her job is frozen as it is today.
    participation = Participation.objects.get(person=person)
    assert (participation.job_title, participation.frozen_at is not None) == (person.job_title, True)


def test_event_ending_before_it_starts_is_refused_with_a_message(editor_client):
    starts_at = timezone.now() + timedelta(days=20)

    response = editor_client.post(
        "/admin/events/event/add/",
        _event_form(venue=make_venue(), starts_at=starts_at, ends_at=starts_at - timedelta(hours=1)),
    )

    assert response.status_code == 200
    assert "La fin doit être après le début." in response.content.decode()
    assert 'value="Rencontres de l&#x27;industrie"' in response.content.decode()
    assert not Event.objects.exists()


def test_programme_item_outside_the_event_is_refused_with_a_message(editor_client):
    starts_at = timezone.now() + timedelta(days=20)

    response = editor_client.post(
        "/admin/events/event/add/",
        _event_form(venue=make_venue(), starts_at=starts_at, item_starts_at=starts_at - timedelta(hours=2)),
    )

    assert "La séquence commence avant le début de l&#x27;événement." in response.content.decode()
    assert not ProgrammeItem.objects.exists()


def test_participant_listed_twice_in_an_item_is_refused_with_a_message(editor_client):
    event = make_event()
    item = make_programme_item(event)
    person = make_person(name="Jean Dupont")
    date, time = _split(item.starts_at)

    response = editor_client.post(
        f"/admin/events/programmeitem/{item.pk}/change/",
        {
            "event": str(event.pk),
            "starts_at_0": date,
            "starts_at_1": time,
            "kind": "talk",
            "title": item.title,
            **_management("participations", 2),
            "participations-0-person": str(person.pk),
            "participations-0-role": "speaker",
            "participations-0-position": "0",
            "participations-1-person": str(person.pk),
            "participations-1-role": "moderator",
            "participations-1-position": "1",
        },
    )

    assert "Jean Dupont figure déjà dans cette séquence : supprimez le doublon." in response.content.decode()
    assert not Participation.objects.exists()


def test_events_list_filters_upcoming_and_past(editor_client):
    make_event(title="Futur", starts_at=timezone.now() + timedelta(days=3))
    make_event(title="Ancien", starts_at=timezone.now() - timedelta(days=3))

    html = editor_client.get("/admin/events/event/?quand=passes").content.decode()

    assert "Ancien" in html
    assert "Futur" not in html


def test_duplicate_action_creates_the_next_edition_as_a_draft(editor_client):
    organisation = make_organisation(name="La Tribune")
    event = make_event(edition=3, title="Rencontres du Forum", organisers=[organisation])
    make_programme_item(event, title="Table ronde", people=[make_person(name="Léa Roy")])

    response = editor_client.post(
        "/admin/events/event/",
        {"action": "duplicate_as_next_edition", "_selected_action": [str(event.pk)]},
        follow=True,
    )

    new = Event.objects.get(edition=4)
    assert new.publication_status == PublicationStatus.DRAFT
    assert new.full_title == "4e Rencontres du Forum"
    assert [link.organisation for link in new.organiser_links.all()] == [organisation]
    assert list(new.programme_items.values_list("title", "participations__person__name")) == [
        ("Table ronde", "Léa Roy")
    ]
    assert re.search(r"4e Rencontres du Forum</a> : brouillon créé", response.content.decode())


def test_duplicating_keeps_the_old_edition_untouched():
    event = make_event(edition=1)
    make_programme_item(event, people=[make_person()])

    duplicate_event_as_next_edition(event=event)

    assert event.programme_items.get().participations.count() == 1
    assert Event.objects.filter(edition=2).count() == 1


def test_event_change_page_links_each_programme_item_to_its_participants(editor_client):
    event = make_event()
    item = make_programme_item(event, people=[make_person(), make_person()])

    html = editor_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()

    assert f'<a href="/admin/events/programmeitem/{item.pk}/change/">2 participants</a>' in html


def test_admin_pages_of_every_events_model_open(editor_client):
    event = make_event()
    make_programme_item(event, people=[make_person()])

    for model in ["event", "programmeitem", "person", "organisation", "venue", "eventseries"]:
        assert editor_client.get(f"/admin/events/{model}/").status_code == 200
        assert editor_client.get(f"/admin/events/{model}/add/").status_code == 200
