"""Demo content for the events app (called by `manage.py load_demo`).

The facts (speakers, venues, organisers, times) are those of
`shared/product.md`. The source gives no year, so the dates are chosen
relative to the day the demo is loaded, to keep both events upcoming:
the Rencontres on the first Monday at least three weeks ahead, at 10:00
Paris time; the Forum nine weeks and three days later, on a Thursday and
Friday (two consecutive days, as the 14 and 15 September of the source).
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from articles.models import Article
from events.models import (
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

PARIS = ZoneInfo("Europe/Paris")
RENCONTRES_SLUG = "rencontres-forum-smart-city-marseille-mediterranee-3"
FORUM_SLUG = "forum-smart-city-marseille-mediterranee"
SMART_CITY_ARTICLE_SLUG = "quelle-place-pour-le-numerique-dans-le-developpement-des-metropoles"

ORGANISERS = [
    ("La Tribune", "https://www.latribune.fr/"),
    ("Ville de Marseille", "https://www.marseille.fr/"),
    ("Métropole Aix-Marseille Provence", "https://ampmetropole.fr/"),
]

SPEAKERS = [
    ("Lluis Sanz Marco", "DSI (directeur des systèmes d'information)", "Ville de Barcelone"),
    (
        "Daniel Sperling",
        "Adjoint au Maire de Marseille, en charge de l'innovation et du développement par le numérique",
        "Ville de Marseille",
    ),
    (
        "Gérard Bramoulé",
        "Vice-président métropolitain délégué au territoire numérique et à l'innovation technologique",
        "Métropole Aix-Marseille Provence",
    ),
]


def demo_dates(today):
    """(Rencontres day, first Forum day) for a demo loaded on `today`."""
    first = today + timedelta(days=21)
    rencontres = first + timedelta(days=(0 - first.weekday()) % 7)  # next Monday
    forum = rencontres + timedelta(weeks=9, days=3)  # a Thursday
    return rencontres, forum


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def load(*, stdout=None):
    """The 3rd Rencontres announcing the Forum, their organisers and
    speakers, linked to the smart-city feature. Idempotent: objects are
    looked up by name or slug and never duplicated; an existing event keeps
    its dates."""
    now = timezone.now()
    rencontres_day, forum_day = demo_dates(timezone.localdate())
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
            "description": "<p>Conférences, démonstrations et rencontres d'affaires : le Forum fait le "
            "point sur les projets numériques des métropoles méditerranéennes.</p>",
            "starts_at": _at(forum_day, 9),
            "ends_at": _at(forum_day + timedelta(days=1), 18),
            "venue": pharo,
            "publication_status": PublicationStatus.PUBLISHED,
            "published_at": now - timedelta(hours=1),
        },
    )
    if created:
        _set_organisers(forum, organisations)

    rencontres, created = Event.objects.get_or_create(
        slug=RENCONTRES_SLUG,
        defaults={
            "series": series,
            "edition": 3,
            "title": "Rencontres du Forum Smart City Marseille Méditerranée",
            "standfirst": "Élus et responsables du numérique de Marseille, de la métropole et de "
            "Barcelone débattent de la place du numérique dans la stratégie des métropoles, avant "
            "la présentation du Forum Smart City Marseille Méditerranée.",
            "description": "<p>Les Rencontres préparent le Forum de la rentrée : une table ronde "
            "sur les stratégies numériques des métropoles, puis une conférence de presse.</p>",
            "starts_at": _at(rencontres_day, 10),
            "venue": villa_gaby,
            "announces": forum,
            "publication_status": PublicationStatus.PUBLISHED,
            "published_at": now - timedelta(hours=1),
        },
    )
    if created:
        _set_organisers(rencontres, organisations)
        _add_programme(rencontres, rencontres_day, organisations)
        article = Article.objects.filter(slug=SMART_CITY_ARTICLE_SLUG).first()
        if article:
            rencontres.related_articles.add(article)
    if stdout:
        stdout.write(f"Événements : {Event.objects.count()} en base, dont les 3es Rencontres et le Forum.")
    return rencontres


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
    for position, (name, job_title, organisation) in enumerate(SPEAKERS):
        person, _created = Person.objects.get_or_create(
            name=name, defaults={"job_title": job_title, "organisation": organisations[organisation]}
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
