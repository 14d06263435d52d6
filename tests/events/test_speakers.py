"""Speakers' pages, and the job each speaker held frozen when their event is published."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Participation, Person, PublicationStatus
from events.services import freeze_participants, publish_event
from tests.articles.factories import make_image_file
from tests.conftest import committed, json_ld, page_text
from tests.events.factories import (
    in_days,
    make_event,
    make_organisation,
    make_person,
    make_programme_item,
)

pytestmark = pytest.mark.django_db


def speaking(person, **event_fields):
    """`person` in the programme of a new published event (jobs frozen as on publication)."""
    event = make_event(**event_fields)
    item = make_programme_item(event, title=f"Séquence de {event.title}", people=[person])
    freeze_participants(event=event)
    return event, item


def test_speaker_page_shows_photo_biography_and_current_job(client):
    with committed():  # the portrait goes through the image pipeline after commit
        person = make_person(
            name="Lluis Sanz Marco",
            job_title="DSI",
            organisation=make_organisation(name="Ville de Barcelone"),
            bio="Ingénieur, il pilote la stratégie numérique de Barcelone.",
            photo=make_image_file("portrait.jpg", size=(400, 400)),
        )
    speaking(person)

    page = client.get("/evenements/intervenants/lluis-sanz-marco/")

    text = page_text(page)
    assert "Événements · Intervenant Lluis Sanz Marco DSI, Ville de Barcelone" in text
    assert "Ingénieur, il pilote la stratégie numérique de Barcelone." in text
    assert 'alt="Portrait de Lluis Sanz Marco" width="160" height="160"' in page.content.decode()


def test_speaker_page_lists_sessions_across_events_with_the_job_held_then(client):
    person = make_person(
        name="Anne Durand", job_title="Ministre", organisation=make_organisation(name="État")
    )
    old_event, _old = speaking(person, title="Assises de 2024", starts_at=in_days(-400))
    new_event, _new = speaking(person, title="Assises à venir", starts_at=in_days(20))
    Participation.objects.filter(item__event=old_event).update(
        job_title="Adjointe au maire", organisation=make_organisation(name="Ville d'Aix")
    )

    text = page_text(client.get(person.get_absolute_url()))

    upcoming = text.index("Prochaines interventions")
    past = text.index("Interventions passées")
    assert upcoming < text.index("Séquence de Assises à venir") < past
    assert past < text.index("Séquence de Assises de 2024")
    assert (
        "Intervention · Assises de 2024 Fonction lors de l'événement : Adjointe au maire, Ville d'Aix" in text
    )
    # Today's job, said once under the name, is not repeated for each session.
    assert "Intervention · Assises à venir Interventions passées" in text


def test_speaker_sessions_link_to_their_place_in_the_programme(client):
    person = make_person()
    event, item = speaking(person)

    html = client.get(person.get_absolute_url()).content.decode()

    assert f'href="{event.get_absolute_url()}#sequence-{item.pk}"' in html
    assert f'id="sequence-{item.pk}"' in client.get(event.get_absolute_url()).content.decode()


def test_programme_links_each_participant_to_their_page(client):
    person = make_person(name="Nadia Ferhat")
    event, _item = speaking(person)

    html = client.get(event.get_absolute_url()).content.decode()

    assert f'<a class="programme-person-name" href="{person.get_absolute_url()}">Nadia Ferhat</a>' in html


def test_someone_speaking_only_at_a_draft_event_has_no_public_page(client, editor):
    person = make_person()
    speaking(person, publication_status=PublicationStatus.DRAFT)

    assert client.get(person.get_absolute_url()).status_code == 404
    client.force_login(editor)
    assert client.get(person.get_absolute_url()).status_code == 200


def test_someone_speaking_only_at_a_scheduled_event_has_no_page_yet(client):
    person = make_person()
    speaking(person, published_at=timezone.now() + timedelta(hours=3))

    assert client.get(person.get_absolute_url()).status_code == 404


def test_a_draft_event_is_not_listed_on_a_speakers_page(client):
    person = make_person()
    speaking(person, title="Assises publiques")
    speaking(person, title="Assises en préparation", publication_status=PublicationStatus.DRAFT)

    text = page_text(client.get(person.get_absolute_url()))

    assert "Assises publiques" in text
    assert "Assises en préparation" not in text


def test_speaker_page_has_canonical_open_graph_and_person_json_ld(client):
    person = make_person(
        name="Gérard Bramoulé", job_title="Vice-président", organisation=make_organisation(name="Métropole")
    )
    speaking(person)

    page = client.get(person.get_absolute_url())

    html = page.content.decode()
    url = "http://127.0.0.1:8000/evenements/intervenants/gerard-bramoule/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:type" content="profile">' in html
    assert json_ld(page) == {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "Gérard Bramoulé",
        "url": url,
        "jobTitle": "Vice-président",
        "worksFor": {"@type": "Organization", "name": "Métropole"},
    }


def test_a_person_gets_an_address_from_their_name_namesakes_included():
    first = Person.objects.create(name="Marie Dupont")
    second = Person.objects.create(name="Marie Dupont")

    assert (first.slug, second.slug) == ("marie-dupont", "marie-dupont-2")


@pytest.mark.parametrize("count", [1, 10])
def test_speaker_page_query_count_is_constant(client, django_assert_num_queries, count):
    person = make_person()
    for _ in range(count):
        speaking(person, organisers=[make_organisation()])

    # person + organisation, sessions with events and jobs, nav sections
    with django_assert_num_queries(3):
        page = client.get(person.get_absolute_url())

    assert page_text(page).count("Séquence de") == count


# --- Jobs frozen at publication --------------------------------------------------


def test_publishing_an_event_freezes_the_job_of_its_speakers(client):
    person = make_person(
        job_title="Adjoint au maire", organisation=make_organisation(name="Ville de Marseille")
    )
    event = make_event(publication_status=PublicationStatus.DRAFT, published_at=None)
    make_programme_item(event, people=[person])

    publish_event(event=event, by=None)
    person.job_title, person.organisation = "Député", make_organisation(name="Assemblée nationale")
    person.save()

    text = page_text(client.get(event.get_absolute_url()))
    assert "Adjoint au maire, Ville de Marseille" in text
    assert "Député" not in text


def test_a_draft_event_shows_the_speakers_current_job_until_published(client, editor):
    person = make_person(job_title="Adjoint au maire")
    event = make_event(publication_status=PublicationStatus.DRAFT)
    make_programme_item(event, people=[person])
    person.job_title = "Député"
    person.save()
    client.force_login(editor)

    assert "Député" in page_text(client.get(event.get_absolute_url()))


def test_freezing_keeps_a_job_entered_for_the_event_and_an_empty_job_stays_empty():
    chosen = make_person(job_title="Ministre")
    jobless = make_person(job_title="", organisation=None)
    event = make_event()
    item = make_programme_item(event, people=[chosen, jobless])
    item.participations.filter(person=chosen).update(job_title="Préfète")

    assert freeze_participants(event=event) == 2
    jobless.job_title = "Consultant"
    jobless.save()

    shown = {p.person_id: p.shown_job_title for p in Participation.objects.select_related("person")}
    assert shown == {chosen.pk: "Préfète", jobless.pk: ""}


def test_freezing_a_draft_changes_nothing():
    event = make_event(publication_status=PublicationStatus.DRAFT)
    make_programme_item(event, people=[make_person()])

    assert freeze_participants(event=event) == 0
    assert Participation.objects.get().frozen_at is None


def test_publish_action_of_the_admin_freezes_jobs(client, editor):
    person = make_person(job_title="Adjoint au maire")
    event = make_event(publication_status=PublicationStatus.DRAFT, published_at=None)
    make_programme_item(event, people=[person])
    client.force_login(editor)

    client.post("/admin/events/event/", {"action": "publish", "_selected_action": [event.pk]})

    event.refresh_from_db()
    participation = Participation.objects.get()
    assert event.is_published
    assert (participation.job_title, participation.frozen_at is not None) == ("Adjoint au maire", True)
