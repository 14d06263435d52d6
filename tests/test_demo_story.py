"""The demo tells one story, whatever day it is loaded."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from articles.demo import SMART_CITY_SLUG
from articles.models import Article
from events.demo import FORUM_SLUG, RENCONTRES_SLUG
from events.models import Event, ProgrammeItem
from newsroom.demo import DemoCalendar, demo_calendar
from tests.conftest import committed, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def load_demo(settings):
    settings.DEBUG = True

    def load():
        with committed():  # the demo pictures go through the image pipeline after commit
            call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    return load


@pytest.mark.parametrize(
    ("today", "rencontres", "forum_text"),
    [
        (date(2026, 11, 26), date(2026, 12, 21), "jeudi 25 et vendredi 26 février 2027"),
        (date(2026, 6, 15), date(2026, 7, 6), "jeudi 10 et vendredi 11 septembre"),
        (date(2026, 2, 1), date(2026, 2, 23), "jeudi 30 avril et vendredi 1er mai"),
    ],
)
def test_demo_calendar_keeps_the_gaps_of_the_story(today, rencontres, forum_text, settings):
    calendar = demo_calendar(today)

    assert calendar.rencontres == rencontres
    assert calendar.rencontres.weekday() == 0  # a Monday
    assert (calendar.forum.weekday(), calendar.forum_end.weekday()) == (3, 4)  # Thursday and Friday
    assert calendar.forum - calendar.rencontres == timedelta(weeks=9, days=3)
    assert calendar.forum_text.endswith(forum_text.split(" et ")[1])


def test_feature_announces_the_upcoming_rencontres_at_the_date_every_page_tells(client, load_demo):
    load_demo()
    feature = Article.objects.get(slug=SMART_CITY_SLUG)
    rencontres = Event.objects.get(slug=RENCONTRES_SLUG)
    forum = Event.objects.get(slug=FORUM_SLUG)
    calendar = DemoCalendar(
        rencontres=timezone.localdate(rencontres.starts_at), forum=timezone.localdate(forum.starts_at)
    )

    article = page_text(client.get(feature.get_absolute_url()))
    event = page_text(client.get(rencontres.get_absolute_url()))

    assert not rencontres.is_past
    assert (
        f"Le sujet sera débattu à Marseille, {calendar.rencontres_text}, lors des 3es Rencontres" in article
    )
    assert f"{calendar.rencontres_text} à 10 h à la Villa Gaby" in article
    assert f"qui se tiendra les {calendar.forum_text} au Palais du Pharo" in article
    assert f"{calendar.rencontres_text}, à partir de 10 h" in article  # the event box
    assert f"{calendar.rencontres_text}, à partir de 10 h" in event
    assert f"qui se tiendra les {calendar.forum_text} au Palais du Pharo" in event
    assert "était débattu" not in article
    assert "rentrée" not in article + event


def test_demo_pictures_say_they_are_illustrations_and_the_feature_keeps_its_credit(load_demo):
    load_demo()

    feature = Article.objects.get(slug=SMART_CITY_SLUG)
    others = Article.objects.exclude(slug=SMART_CITY_SLUG).exclude(image="")

    assert feature.image_caption.startswith("Illustration de démonstration : ")
    assert feature.image_credit == "Schneider Electric"
    assert {(a.image_caption, a.image_credit) for a in others} == {
        ("Illustration de démonstration.", "Newsroom (image de démonstration)")
    }


def test_demo_content_uses_typographic_apostrophes(load_demo):
    load_demo()

    feature = Article.objects.get(slug=SMART_CITY_SLUG)
    texts = [feature.standfirst, feature.body, feature.image_caption, feature.image_alt]
    texts += list(Event.objects.values_list("description", flat=True))
    texts += list(Event.objects.values_list("standfirst", flat=True))

    assert not [text for text in texts if "'" in text]


def test_demo_loaded_again_after_the_rencontres_moves_the_story_to_new_dates(client, load_demo):
    load_demo()
    rencontres = Event.objects.get(slug=RENCONTRES_SLUG)
    # Weeks later, the Rencontres are over (the Forum too).
    ago = rencontres.starts_at - (timezone.now() - timedelta(days=30))
    Event.objects.update(starts_at=F("starts_at") - ago, ends_at=F("ends_at") - ago)
    ProgrammeItem.objects.update(starts_at=F("starts_at") - ago, ends_at=F("ends_at") - ago)

    load_demo()

    calendar = demo_calendar(timezone.localdate())
    rencontres.refresh_from_db()
    feature = Article.objects.get(slug=SMART_CITY_SLUG)
    assert timezone.localdate(rencontres.starts_at) == calendar.rencontres
    assert {timezone.localtime(item.starts_at).date() for item in rencontres.programme_items.all()} == {
        calendar.rencontres
    }
    assert f"sera débattu à Marseille, {calendar.rencontres_text}" in feature.standfirst
    assert calendar.forum_text in Event.objects.get(slug=RENCONTRES_SLUG).description


def test_demo_loaded_twice_the_same_day_changes_no_date(load_demo):
    load_demo()
    before = list(Event.objects.order_by("pk").values_list("starts_at", "ends_at", "sequence"))

    load_demo()

    assert list(Event.objects.order_by("pk").values_list("starts_at", "ends_at", "sequence")) == before
