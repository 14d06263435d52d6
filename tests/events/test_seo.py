"""Event pages for search engines and sharing, and the announced event's
page linking back to the events that announce it."""

import pytest

from events.models import PublicationStatus
from tests.articles.factories import make_image_file
from tests.conftest import committed, page_text
from tests.events.factories import in_days, make_event

pytestmark = pytest.mark.django_db


def test_event_page_has_canonical_open_graph_and_twitter_tags(client):
    with committed():  # the photo goes through the image pipeline after commit
        event = make_event(
            title="Forum de l'export",
            slug="forum-export",
            standfirst="Deux jours pour exporter.",
            image=make_image_file(),
            image_alt="La salle du Forum",
            image_credit="Newsroom",
        )
    event.refresh_from_db()

    html = client.get(event.get_absolute_url()).content.decode()

    url = "http://127.0.0.1:8000/evenements/forum-export/"
    image = f"http://127.0.0.1:8000{event.image.url}"
    for tag in [
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:type" content="website">',
        '<meta property="og:locale" content="fr_FR">',
        '<meta property="og:title" content="Forum de l&#x27;export">',
        '<meta property="og:description" content="Deux jours pour exporter.">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:image" content="{image}">',
        '<meta property="og:image:alt" content="La salle du Forum">',
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:title" content="Forum de l&#x27;export">',
        f'<meta name="twitter:image" content="{image}">',
    ]:
        assert tag in html


def test_event_without_photo_has_a_summary_card(client):
    html = client.get(make_event().get_absolute_url()).content.decode()

    assert '<meta name="twitter:card" content="summary">' in html
    assert "og:image" not in html


def test_announced_event_lists_the_events_that_announce_it(client):
    forum = make_event(title="Forum Smart City", starts_at=in_days(60))
    make_event(title="Rencontres de juin", announces=forum, starts_at=in_days(10))
    make_event(title="Rencontres de mai", announces=forum, starts_at=in_days(5))
    make_event(title="Rencontres en préparation", announces=forum, publication_status=PublicationStatus.DRAFT)

    text = page_text(client.get(forum.get_absolute_url()))

    assert "Les événements qui l'annoncent Rencontres de mai" in text
    assert text.index("Rencontres de mai") < text.index("Rencontres de juin")
    assert "Rencontres en préparation" not in text


def test_one_announcing_event_is_named_in_the_singular(client):
    forum = make_event(title="Forum Smart City")
    make_event(title="3es Rencontres", announces=forum)

    assert "L'événement qui l'annonce 3es Rencontres" in page_text(client.get(forum.get_absolute_url()))
