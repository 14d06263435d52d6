import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

import articles.demo
import events.demo
from events.dates import format_day
from events.models import Event, EventStatus, Participation, PublicationStatus
from newsroom.demo import demo_calendar
from tests.conftest import json_ld, make_article, page_text
from tests.events.factories import (
    in_days,
    make_event,
    make_organisation,
    make_person,
    make_programme,
    make_programme_item,
)

pytestmark = pytest.mark.django_db


_text = page_text
_json_ld = json_ld


@pytest.fixture
def demo_calendar_today():
    return demo_calendar(timezone.localdate())


@pytest.fixture
def demo_event(demo_calendar_today):
    articles.demo.load(calendar=demo_calendar_today)
    return events.demo.load(calendar=demo_calendar_today)


def test_demo_event_page_shows_title_date_venue_and_organisers(client, demo_event):
    page = client.get(demo_event.get_absolute_url())

    text = _text(page)
    day = format_day(demo_event.starts_at)
    assert day.startswith("lundi ")
    assert "3es Rencontres du Forum Smart City Marseille Méditerranée" in text
    assert f"{day}, à partir de 10 h" in text
    assert "Villa Gaby, 285 corniche Kennedy, 13007 Marseille" in text
    assert "https://www.openstreetmap.org/search?query=Villa+Gaby" in page.content.decode()
    assert "Organisateurs La Tribune Ville de Marseille Métropole Aix-Marseille Provence" in text


def test_demo_event_page_shows_the_programme_with_speakers(client, demo_event):
    text = _text(client.get(demo_event.get_absolute_url()))

    assert "10 h – 11 h 30 Table ronde Quelle stratégie pour les métropoles ?" in text
    assert "Lluis Sanz Marco, DSI (directeur des systèmes d'information), Ville de Barcelone" in text
    assert (
        "Daniel Sperling, adjoint au maire de Marseille, en charge de l'innovation et du développement "
        "par le numérique, Ville de Marseille"
    ) in text
    assert (
        "Gérard Bramoulé, vice-président métropolitain délégué au territoire numérique et à l'innovation "
        "technologique, Métropole Aix-Marseille Provence"
    ) in text
    assert "11 h 30 Conférence de presse Présentation du Forum Smart City Marseille Méditerranée" in text


def test_demo_event_page_shows_the_forum_it_announces_and_the_feature(client, demo_event):
    forum = demo_event.announces

    text = _text(client.get(demo_event.get_absolute_url()))

    first, second = timezone.localtime(forum.starts_at), timezone.localtime(forum.ends_at)
    assert second.date() - first.date() == timedelta(days=1)
    assert "L'événement annoncé Forum Smart City Marseille Méditerranée" in text
    assert "Palais du Pharo, Marseille" in text
    assert "Nos articles Quelle place pour le numérique dans le développement des métropoles ?" in text
    assert "Ajouter à mon agenda Télécharger le fichier .ics Google Agenda Outlook" in text


def test_demo_event_json_ld_describes_place_organisers_programme_and_forum(client, demo_event):
    data = _json_ld(client.get(demo_event.get_absolute_url()))

    assert data["@type"] == "Event"
    assert data["name"] == "3es Rencontres du Forum Smart City Marseille Méditerranée"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"]["streetAddress"] == "285 corniche Kennedy"
    assert [o["name"] for o in data["organizer"]] == [
        "La Tribune",
        "Ville de Marseille",
        "Métropole Aix-Marseille Provence",
    ]
    round_table = data["subEvent"][0]
    assert round_table["name"] == "Quelle stratégie pour les métropoles ?"
    assert round_table["performer"][0] == {
        "@type": "Person",
        "name": "Lluis Sanz Marco",
        "url": "http://127.0.0.1:8000/evenements/intervenants/lluis-sanz-marco/",
        "jobTitle": "DSI (directeur des systèmes d’information)",
        "worksFor": {
            "@type": "Organization",
            "name": "Ville de Barcelone",
            "url": "https://www.barcelona.cat/",
        },
    }
    assert data["superEvent"]["name"] == "Forum Smart City Marseille Méditerranée"


def test_home_agenda_lists_the_next_events(client, demo_event):
    text = _text(client.get("/"))

    assert "Agenda 3es Rencontres du Forum Smart City Marseille Méditerranée" in text
    assert "Forum Smart City Marseille Méditerranée du jeudi" in text


def test_demo_load_is_idempotent(demo_event, demo_calendar_today):
    events.demo.load(calendar=demo_calendar_today)

    assert Event.objects.count() == 2
    assert Participation.objects.count() == 3


def test_participant_shows_the_job_held_at_the_event(client):
    person = make_person(
        name="Anne Durand", job_title="Ministre", organisation=make_organisation(name="État")
    )
    event = make_event()
    item = make_programme_item(event, people=[person])
    Participation.objects.filter(item=item).update(
        job_title="Adjointe au maire", organisation=make_organisation(name="Ville d'Aix")
    )

    text = _text(client.get(event.get_absolute_url()))

    assert "Anne Durand, Adjointe au maire, Ville d'Aix" in text
    assert "Ministre" not in text


def test_moderator_is_labelled(client):
    event = make_event()
    item = make_programme_item(event, people=[make_person(name="Paul Martin")])
    item.participations.update(role="moderator")

    assert "Paul Martin (animateur)" in _text(client.get(event.get_absolute_url()))


def test_cancelled_event_shows_a_banner_with_its_reason(client):
    event = make_event(status=EventStatus.CANCELLED, status_reason="Grève des transports.")

    text = _text(client.get(event.get_absolute_url()))

    assert "Événement annulé Grève des transports." in text


def test_draft_event_is_not_found_for_readers(client):
    event = make_event(publication_status=PublicationStatus.DRAFT)

    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(event.get_ics_url()).status_code == 404
    assert client.get("/evenements/inconnu/").status_code == 404


def test_draft_event_is_previewed_by_staff(client, editor):
    event = make_event(publication_status=PublicationStatus.DRAFT, title="Brouillon d'événement")
    client.force_login(editor)

    page = client.get(event.get_absolute_url())

    assert "Aperçu réservé à la rédaction" in _text(page)
    assert "private" in page["Cache-Control"]
    assert client.get(event.get_ics_url()).status_code == 200


def test_scheduled_event_appears_at_its_publication_time(client):
    event = make_event(published_at=timezone.now() + timedelta(hours=1))
    assert client.get(event.get_absolute_url()).status_code == 404

    Event.objects.filter(pk=event.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    assert client.get(event.get_absolute_url()).status_code == 200


def test_events_list_shows_upcoming_events_by_date_and_links_the_archive(client):
    make_event(title="Plus tard", starts_at=in_days(40))
    make_event(title="Bientôt", starts_at=in_days(5))
    make_event(title="Déjà passé", starts_at=in_days(-5))
    make_event(title="Pas publié", publication_status=PublicationStatus.DRAFT)

    text = _text(client.get("/evenements/"))

    assert text.index("Bientôt") < text.index("Plus tard")
    assert "Déjà passé" not in text
    assert "Pas publié" not in text
    assert "Les événements passés" in text


def test_event_of_today_stays_upcoming_until_the_day_ends(client):
    make_event(title="Ce matin", starts_at=timezone.now() - timedelta(minutes=1))

    assert "Ce matin" in _text(client.get("/evenements/"))


def test_archive_lists_past_events_newest_first_by_page(client, settings):
    make_event(title="Il y a un an", starts_at=in_days(-365))
    make_event(title="Le mois dernier", starts_at=in_days(-30))
    make_event(title="À venir", starts_at=in_days(30))

    text = _text(client.get("/evenements/archives/"))

    assert text.index("Le mois dernier") < text.index("Il y a un an")
    assert "À venir" not in text


def test_archive_is_paginated(client):
    for days in range(13):
        make_event(title=f"Passé {days}", starts_at=in_days(-10 - days))

    second = _text(client.get("/evenements/archives/?page=2"))

    assert "Passé 12" in second
    assert "Page 2 sur 2" in second


def test_event_page_has_no_inline_script_or_style(client, demo_event):
    html = client.get(demo_event.get_absolute_url()).content.decode()

    assert "style=" not in html
    assert "<style" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']


def test_json_ld_survives_a_title_with_quotes_and_script_end(client):
    title = 'Le "grand" débat, enfin; </script><script>alert(1)</script>\nsuite & fin'
    event = make_event(title=title)

    page = client.get(event.get_absolute_url())

    assert "<script>alert(1)" not in page.content.decode()
    assert _json_ld(page)["name"] == title.replace("\n", " ")  # titles are stored on one line


def test_reader_pages_are_public_and_cacheable(client):
    event = make_event()

    page = client.get(event.get_absolute_url())

    assert "public" in page["Cache-Control"]
    assert not page.cookies


@pytest.mark.parametrize("count", [1, 10])
def test_event_page_query_count_is_constant(client, django_assert_num_queries, count):
    event = make_event(organisers=[make_organisation() for _ in range(count)])
    make_programme(event, items=count, people_per_item=count)
    event.related_articles.set([make_article() for _ in range(count)])
    event.announces = make_event()
    event.save()
    for _ in range(count):
        make_event(announces=event)

    # event + venue + series + announced event, organisers, programme, participants,
    # related articles, announcing events, nav sections
    with django_assert_num_queries(7):
        page = client.get(event.get_absolute_url())

    assert page.status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_events_list_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        make_event(organisers=[make_organisation()])

    with django_assert_num_queries(3):
        page = client.get("/evenements/")

    assert page.status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_archive_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        make_event(starts_at=in_days(-10))

    with django_assert_num_queries(4):
        page = client.get("/evenements/archives/")

    assert page.status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_agenda_takes_one_query(django_assert_num_queries, count):
    for _ in range(count):
        make_event()

    with django_assert_num_queries(1):
        html = Template("{% load events_tags %}{% agenda %}").render(Context({}))

    assert html.count('class="agenda-item"') == min(count, 3)


def test_postponed_event_json_ld_and_banner_say_postponed(client):
    event = make_event(status=EventStatus.POSTPONED, status_reason="Nouvelle date en septembre.")

    page = client.get(event.get_absolute_url())

    assert "Événement reporté Nouvelle date en septembre." in _text(page)
    assert _json_ld(page)["eventStatus"] == "https://schema.org/EventPostponed"


def test_event_refuses_a_reason_when_it_is_scheduled():
    event = make_event(status_reason="Sans objet")

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["status_reason"] == [
        "Le motif ne s'affiche que pour un événement annulé ou reporté."
    ]
