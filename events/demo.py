"""Demo content for the events app (called by `manage.py load_demo`).

The facts (speakers, venues, organisers, times) are those of
`shared/product.md`. The source gives no year: the dates come from the
demo's calendar (`newsroom.demo`), relative to the day the demo is loaded,
so that both events are upcoming and agree with the feature that announces
them.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from articles.models import Article
from events.models import (
    Admission,
    Event,
    EventOrganiser,
    EventSeries,
    Organisation,
    ParticipantRole,
    Participation,
    Person,
    ProgrammeItem,
    ProgrammeKind,
    PublicationStatus,
    Venue,
)
from events.services import freeze_participants
from newsroom.demo import DemoCalendar

PARIS = ZoneInfo("Europe/Paris")
RENCONTRES_SLUG = "rencontres-forum-smart-city-marseille-mediterranee-3"
FORUM_SLUG = "forum-smart-city-marseille-mediterranee"
SMART_CITY_ARTICLE_SLUG = "quelle-place-pour-le-numerique-dans-le-developpement-des-metropoles"

ORGANISERS = [
    ("La Tribune", "https://www.latribune.fr/"),
    ("Ville de Marseille", "https://www.marseille.fr/"),
    ("Métropole Aix-Marseille Provence", "https://ampmetropole.fr/"),
]

# Name, job and organisation as in the source; the biographies are the demo's
# own, written from those roles only.
SPEAKERS = [
    (
        "Lluis Sanz Marco",
        "DSI (directeur des systèmes d’information)",
        "Ville de Barcelone",
        "Il dirige les systèmes d’information de la Ville de Barcelone, l’une des métropoles européennes "
        "qui ont fait du numérique un pilier de leur stratégie urbaine.",
    ),
    (
        "Daniel Sperling",
        "adjoint au maire de Marseille, en charge de l’innovation et du développement par le numérique",
        "Ville de Marseille",
        "Élu de Marseille, il porte la politique d’innovation de la ville et son développement par le "
        "numérique.",
    ),
    (
        "Gérard Bramoulé",
        "vice-président métropolitain délégué au territoire numérique et à l’innovation technologique",
        "Métropole Aix-Marseille Provence",
        "Vice-président de la Métropole Aix-Marseille Provence, il suit le déploiement du numérique et de "
        "l’innovation technologique sur le territoire métropolitain.",
    ),
]


def current_calendar():
    """The calendar of the demo events already loaded, while the Rencontres
    are still to come (so that loading the demo again keeps their dates);
    None otherwise."""
    found = {event.slug: event for event in Event.objects.filter(slug__in=[RENCONTRES_SLUG, FORUM_SLUG])}
    rencontres, forum = found.get(RENCONTRES_SLUG), found.get(FORUM_SLUG)
    if rencontres is None or forum is None or rencontres.is_past:
        return None
    return DemoCalendar(
        rencontres=timezone.localdate(rencontres.starts_at), forum=timezone.localdate(forum.starts_at)
    )


def rencontres_description(calendar):
    return (
        "<p>Les Rencontres préparent le Forum Smart City Marseille Méditerranée, qui se tiendra les "
        f"{calendar.forum_text} au Palais du Pharo : une table ronde sur les stratégies numériques "
        "des métropoles, puis une conférence de presse qui présentera le Forum.</p>"
    )


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def load(*, calendar, stdout=None):
    """The 3rd Rencontres announcing the Forum, their organisers, speakers
    and registration, linked to the smart-city feature, on the dates of
    `calendar` (a `newsroom.demo.DemoCalendar`). Idempotent: objects are
    looked up by name or slug and never duplicated; events already loaded
    move to `calendar` only when it differs (the Rencontres were over)."""
    now = timezone.now()
    rencontres_day, forum_day = calendar.rencontres, calendar.forum
    organisations = {}
    for name, website in ORGANISERS:
        organisations[name], _created = Organisation.objects.get_or_create(
            name=name, defaults={"website": website}
        )
    organisations["Ville de Barcelone"], _created = Organisation.objects.get_or_create(
        name="Ville de Barcelone", defaults={"website": "https://www.barcelona.cat/"}
    )
    villa_gaby, _created = Venue.objects.get_or_create(
        name="Villa Gaby",
        defaults={"address": "285 corniche Kennedy", "postcode": "13007", "city": "Marseille"},
    )
    pharo, _created = Venue.objects.get_or_create(
        name="Palais du Pharo",
        defaults={"address": "58 boulevard Charles Livon", "postcode": "13007", "city": "Marseille"},
    )
    series, _created = EventSeries.objects.get_or_create(
        name="Rencontres du Forum Smart City Marseille Méditerranée",
        defaults={"feminine": True, "plural": True},
    )

    forum, created = Event.objects.get_or_create(
        slug=FORUM_SLUG,
        defaults={
            "title": "Forum Smart City Marseille Méditerranée",
            "standfirst": "Deux jours au Palais du Pharo pour réunir collectivités, entreprises et "
            "start-up autour de la ville intelligente : énergie, mobilité, données, sécurité.",
            "description": "<p>Conférences, démonstrations et rencontres d’affaires : le Forum fait le "
            "point sur les projets numériques des métropoles méditerranéennes.</p>",
            "starts_at": _at(forum_day, 9),
            "ends_at": _at(calendar.forum_end, 18),
            "venue": pharo,
            "admission": Admission.FREE,
            "registration_url": "https://www.example.org/forum-smart-city/inscription",
            "publication_status": PublicationStatus.PUBLISHED,
            "published_at": now - timedelta(hours=1),
        },
    )
    if created:
        _set_organisers(forum, organisations)
    else:
        _move(forum, starts_at=_at(forum_day, 9), ends_at=_at(calendar.forum_end, 18))

    rencontres, created = Event.objects.get_or_create(
        slug=RENCONTRES_SLUG,
        defaults={
            "series": series,
            "edition": 3,
            "title": "Rencontres du Forum Smart City Marseille Méditerranée",
            "standfirst": "Élus et responsables du numérique de Marseille, de la métropole et de "
            "Barcelone débattent de la place du numérique dans la stratégie des métropoles, avant "
            "la présentation du Forum Smart City Marseille Méditerranée.",
            "description": rencontres_description(calendar),
            "starts_at": _at(rencontres_day, 10),
            "venue": villa_gaby,
            "admission": Admission.FREE,
            "registration_email": "evenements@example.org",
            # The Friday before, at 18 h.
            "registration_deadline": _at(rencontres_day - timedelta(days=3), 18),
            "remaining_places": 40,
            "announces": forum,
            "publication_status": PublicationStatus.PUBLISHED,
            "published_at": now - timedelta(hours=1),
        },
    )
    if created:
        _set_organisers(rencontres, organisations)
        _add_programme(rencontres, rencontres_day, organisations)
        freeze_participants(event=rencontres)
        article = Article.objects.filter(slug=SMART_CITY_ARTICLE_SLUG).first()
        if article:
            rencontres.related_articles.add(article)
    elif _move(rencontres, starts_at=_at(rencontres_day, 10)):
        rencontres.description = rencontres_description(calendar)
        rencontres.registration_deadline = _at(rencontres_day - timedelta(days=3), 18)
        rencontres.save(update_fields=["description", "registration_deadline", "updated_at"])
    if stdout:
        stdout.write(f"Événements : {Event.objects.count()} en base, dont les 3es Rencontres et le Forum.")
    return rencontres


def _move(event, *, starts_at, ends_at=None):
    """Move an event already loaded (and its programme, same times of day)
    to the demo's calendar. Returns whether it moved."""
    shift = starts_at - event.starts_at
    if not shift:
        return False
    for item in event.programme_items.all():
        item.starts_at += shift
        item.ends_at = item.ends_at + shift if item.ends_at else None
        item.save(update_fields=["starts_at", "ends_at"])
    event.starts_at, event.ends_at = starts_at, ends_at
    event.save(update_fields=["starts_at", "ends_at", "updated_at"])
    return True


def _set_organisers(event, organisations):
    EventOrganiser.objects.bulk_create(
        EventOrganiser(event=event, organisation=organisations[name], position=position)
        for position, (name, _website) in enumerate(ORGANISERS)
    )


def _add_programme(event, day, organisations):
    round_table = ProgrammeItem.objects.create(
        event=event,
        starts_at=_at(day, 10),
        ends_at=_at(day, 11, 30),
        kind=ProgrammeKind.ROUND_TABLE,
        title="Quelle stratégie pour les métropoles ?",
        description="Comment le numérique sert-il la vie quotidienne des habitants et la croissance "
        "économique ? Trois élus et responsables confrontent leurs plans.",
    )
    for position, (name, job_title, organisation, bio) in enumerate(SPEAKERS):
        person, _created = Person.objects.get_or_create(
            name=name,
            defaults={"job_title": job_title, "organisation": organisations[organisation], "bio": bio},
        )
        Participation.objects.create(
            item=round_table, person=person, role=ParticipantRole.SPEAKER, position=position
        )
    ProgrammeItem.objects.create(
        event=event,
        starts_at=_at(day, 11, 30),
        kind=ProgrammeKind.PRESS_CONFERENCE,
        title="Présentation du Forum Smart City Marseille Méditerranée",
    )
