"""The box at the end of an article linked to an event: built from the
event's own programme, so that editors enter nothing twice."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

import articles.demo
import events.demo
from events.models import Admission, ParticipantRole
from newsroom.dates import format_day
from newsroom.demo import demo_calendar
from tests.conftest import make_article, page_text, plain
from tests.events.factories import (
    in_days,
    make_event,
    make_organisation,
    make_person,
    make_programme,
    make_programme_item,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def feature():
    calendar = demo_calendar(timezone.localdate())
    article = articles.demo.load(calendar=calendar)
    events.demo.load(calendar=calendar)
    return article


def box_text(response):
    text = page_text(response)
    return text[text.index("À ne pas manquer") : text.index("Toute la présentation de l'événement")]


def test_smart_city_box_tells_the_whole_programme_without_a_click(client, feature):
    calendar = demo_calendar(timezone.localdate())
    deadline = format_day(calendar.rencontres - timedelta(days=3))

    text = box_text(client.get(feature.get_absolute_url()))

    assert text == (
        "À ne pas manquer 3es Rencontres du Forum Smart City Marseille Méditerranée "
        f"{calendar.rencontres_text}, à partir de 10 h · Villa Gaby, Marseille "
        "10 h Table ronde Quelle stratégie pour les métropoles ? "
        "Lluis Sanz Marco, DSI (directeur des systèmes d'information), Ville de Barcelone "
        "Daniel Sperling, adjoint au maire de Marseille, en charge de l'innovation et du développement "
        "par le numérique, Ville de Marseille "
        "Gérard Bramoulé, vice-président métropolitain délégué au territoire numérique et à l'innovation "
        "technologique, Métropole Aix-Marseille Provence "
        "11 h 30 Conférence de presse Présentation du Forum Smart City Marseille Méditerranée "
        "Rendez-vous annoncé : Forum Smart City Marseille Méditerranée, "
        f"du {calendar.forum_text.replace(' et ', ' au ')}, Palais du Pharo (Marseille). "
        "Organisé par La Tribune, Ville de Marseille et Métropole Aix-Marseille Provence. "
        f"S'inscrire Gratuit, jusqu'au {deadline} à 18 h "
    )


def test_box_links_the_speakers_to_their_pages_and_the_event(client, feature):
    html = client.get(feature.get_absolute_url()).content.decode()

    assert '<a href="/evenements/intervenants/lluis-sanz-marco/">Lluis Sanz Marco</a>' in html
    assert '<a href="/evenements/rencontres-forum-smart-city-marseille-mediterranee-3/">' in html


def test_box_follows_the_programme_when_editors_change_it(client):
    article = make_article()
    event = make_event(title="Matinale de l'export", starts_at=in_days(10, 8, 30))
    event.related_articles.add(article)
    item = make_programme_item(event, title="Exporter en Méditerranée", starts_at=in_days(10, 9, 15))
    make_programme_item(
        event,
        title="Le mot de l'animatrice",
        people=[make_person(name="Inès Roux", job_title="Journaliste", organisation=None)],
        starts_at=in_days(10, 8, 30),
    )

    item.title = "Exporter vers l'Afrique du Nord"
    item.save()

    text = plain(page_text(client.get(article.get_absolute_url())))
    assert (
        "8 h 30 Intervention Le mot de l'animatrice Inès Roux, Journaliste 9 h 15 Intervention Exporter vers"
        in text
    )


def test_box_names_a_moderator_as_such():
    article = make_article()
    event = make_event()
    event.related_articles.add(article)
    item = make_programme_item(event, people=[make_person(name="Inès Roux", job_title="", organisation=None)])
    item.participations.update(role=ParticipantRole.MODERATOR)

    html = Template("{% load events_tags %}{% event_box article %}").render(Context({"article": article}))

    assert "Inès Roux</a> (animateur)" in html


def test_box_says_complet_instead_of_the_button_when_the_event_is_full(client):
    article = make_article()
    event = make_event(registration_url="https://example.org/inscription", is_full=True)
    event.related_articles.add(article)

    text = page_text(client.get(article.get_absolute_url()))

    assert "Complet" in text
    assert "S'inscrire" not in text


def test_box_shows_the_price_of_a_paid_event(client):
    article = make_article()
    event = make_event(
        registration_url="https://example.org/inscription", admission=Admission.PAID, price="45.00"
    )
    event.related_articles.add(article)

    text = page_text(client.get(article.get_absolute_url()))

    assert "S'inscrire 45 €" in text


def test_a_past_event_box_says_événement_and_offers_no_registration(client):
    article = make_article()
    event = make_event(starts_at=in_days(-3), registration_url="https://example.org/inscription")
    event.related_articles.add(article)

    text = page_text(client.get(article.get_absolute_url()))

    assert "Événement Rencontre numéro" in text
    assert "S'inscrire" not in text


def test_a_draft_event_gets_no_box(client):
    article = make_article()
    make_event(publication_status="draft").related_articles.add(article)

    assert "event-box" not in client.get(article.get_absolute_url()).content.decode()


def test_an_unpublished_announced_event_is_not_named_in_the_box(client):
    article = make_article()
    hidden = make_event(title="Forum secret", published_at=timezone.now() + timedelta(days=2))
    make_event(announces=hidden).related_articles.add(article)

    assert "Forum secret" not in client.get(article.get_absolute_url()).content.decode()


def test_box_query_count_is_one_without_an_event(django_assert_num_queries):
    article = make_article()
    template = Template("{% load events_tags %}{% event_box article %}")

    with django_assert_num_queries(1):
        html = template.render(Context({"article": article}))

    assert html.strip() == ""


@pytest.mark.parametrize("count", [1, 5])
def test_box_query_count_is_constant_whatever_the_programme(django_assert_num_queries, count):
    article = make_article()
    for _ in range(count):
        event = make_event(organisers=[make_organisation() for _ in range(count)], announces=make_event())
        make_programme(event, items=count, people_per_item=count)
        event.related_articles.add(article)
    template = Template("{% load events_tags %}{% event_box article %}")

    # events with venue, series and announced event; organisers; programme; participants
    with django_assert_num_queries(4):
        html = template.render(Context({"article": article}))

    assert html.count('class="event-box"') == count
    assert html.count('class="event-box-item"') == count * count
