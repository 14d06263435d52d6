"""Titles and buttons of the admin in correct French.

Django's French builds them from the model's name alone: « Ajouter article »,
« Ajout de article », « Sélectionnez l'objet article à changer ». French
needs the article (« un », « une ») that the name's gender calls for, which
Django cannot know: each model the staff see says it here, once, as the
indefinite noun phrase; the definite one (« l'article », « la rubrique »)
follows from it. The admin's templates (templates/admin/) use these through
`{% load french %}`; a model not listed keeps Django's wording.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NOUNS = {
    "articles.article": gettext_lazy("un article"),
    "articles.section": gettext_lazy("une rubrique"),
    "articles.tag": gettext_lazy("un mot-clé"),
    "articles.author": gettext_lazy("un auteur"),
    "comments.comment": gettext_lazy("un commentaire"),
    "comments.moderationword": gettext_lazy("un mot surveillé"),
    "events.event": gettext_lazy("un événement"),
    "events.venue": gettext_lazy("un lieu"),
    "events.organisation": gettext_lazy("une organisation"),
    "events.person": gettext_lazy("une personne"),
    "events.eventseries": gettext_lazy("une série d’événements"),
    "events.programmeitem": gettext_lazy("une séquence du programme"),
    "pages.page": gettext_lazy("une page du site"),
    "articles.correction": gettext_lazy("un rectificatif"),
    "audit.auditentry": gettext_lazy("une entrée du journal"),
    "redirects.redirect": gettext_lazy("une redirection"),
    "redirects.notfoundpath": gettext_lazy("une adresse introuvable"),
    "axes.accessattempt": gettext_lazy("une tentative de connexion"),
    "axes.accesslog": gettext_lazy("une connexion"),
    "axes.accessfailurelog": gettext_lazy("un échec de connexion"),
    "auth.user": gettext_lazy("un utilisateur"),
    "auth.group": gettext_lazy("un groupe"),
    "django_tasks_database.dbtaskresult": gettext_lazy("un résultat de tâche"),
}

_VOWELS = "aeiouyàâäéèêëîïôöùûüœ"


def indefinite(opts):
    """« un article », or None for a model not listed."""
    noun = NOUNS.get(opts.label_lower)
    return str(noun) if noun is not None else None


def definite(opts):
    """« l’article », « la rubrique », « le lieu »."""
    noun = indefinite(opts)
    if noun is None:
        return None
    article, name = noun.split(" ", 1)
    if name[0].lower() in _VOWELS:
        return f"l’{name}"
    return f"{'la' if article == 'une' else 'le'} {name}"


def add_title(opts):
    """« Ajouter un article »."""
    noun = indefinite(opts)
    return _("Ajouter %(noun)s") % {"noun": noun} if noun else None


def change_title(opts, *, can_change=True):
    """« Modifier l’article », « Consulter l’article »."""
    noun = definite(opts)
    if noun is None:
        return None
    return (_("Modifier %(noun)s") if can_change else _("Consulter %(noun)s")) % {"noun": noun}


def changelist_title(opts, *, can_change=True):
    """« Choisir un article à modifier »."""
    noun = indefinite(opts)
    if noun is None:
        return None
    return (_("Choisir %(noun)s à modifier") if can_change else _("Choisir %(noun)s à consulter")) % {
        "noun": noun
    }
