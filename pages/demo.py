"""Demo content for the trust pages (called by `manage.py load_demo`).

A fictional publisher, so that the footer's pages read as on a real site;
a page is created if missing, and written only while it still holds the
migration's « À compléter » text, so that what editors wrote is never
overwritten."""

from django.conf import settings
from django.utils import timezone

from newsroom.dates import format_date
from pages.models import Page, PageKind

TODO_MARK = "À compléter par la rédaction"

TITLES = {
    PageKind.LEGAL: "Mentions légales",
    PageKind.PRIVACY: "Politique de confidentialité",
    PageKind.ACCESSIBILITY: "Déclaration d’accessibilité",
    PageKind.CONTACT: "Contact",
}


def _bodies():
    email = settings.PRIVACY_CONTACT_EMAIL
    mail = f'<a href="mailto:{email}">{email}</a>'
    today = format_date(timezone.localdate())
    return {
        PageKind.LEGAL: (
            "<p>Ce site de démonstration est édité par une société fictive ; remplacez ces informations "
            "par celles de votre publication.</p>"
            "<h2>Éditeur</h2><p>Newsroom SAS (fictive), société par actions simplifiée au capital de "
            "10 000 €, 1 rue de la République, 13002 Marseille. RCS Marseille 000 000 000. "
            f"Contact : {mail}.</p>"
            "<h2>Directeur de la publication</h2><p>Claire Martin, présidente de Newsroom SAS.</p>"
            "<h2>Hébergeur</h2><p>Pour la démonstration, le site est servi par votre propre ordinateur "
            "(<code>make run</code>). En production : nom, adresse et téléphone de l’hébergeur.</p>"
            "<h2>Propriété intellectuelle</h2><p>Les articles et les photos sont protégés par le droit "
            "d’auteur ; toute reproduction demande l’accord de la rédaction. Les images de démonstration "
            "sont dessinées par le programme.</p>"
        ),
        PageKind.PRIVACY: (
            "<p>Newsroom SAS (voir les mentions légales) est responsable des données traitées sur ce "
            "site. Nous n’utilisons ni publicité ciblée, ni mesure d’audience tierce, ni service "
            "extérieur : aucune donnée de lecteur ne quitte nos serveurs.</p>"
            "<h2>En lisant le site</h2><p>Aucun cookie n’est déposé. Les lectures d’un article sont "
            "comptées sans identifier le lecteur, pour le classement « Sujets les + lus ».</p>"
        ),
        PageKind.ACCESSIBILITY: (
            "<p>Newsroom s’engage à rendre son site accessible, conformément à l’article 47 de la loi "
            "n° 2005-102 du 11 février 2005. Cette déclaration s’applique au site public.</p>"
            "<h2>État de conformité</h2><p>Le site est <strong>partiellement conforme</strong> au "
            "référentiel général d’amélioration de l’accessibilité (RGAA 4.1) : aucun audit complet n’a "
            "encore été mené.</p>"
            "<h2>Résultats des tests</h2><p>Chaque version est vérifiée dans un navigateur (Chromium) par "
            "axe-core sur les règles WCAG 2.2 A et AA : aucune erreur sur l’accueil, les articles, les "
            "rubriques, la recherche, les événements, les intervenants et ces pages. Le formulaire de "
            "commentaire s’utilise entièrement au clavier.</p>"
            "<h2>Contenus non accessibles</h2><p>Les photos de démonstration n’ont qu’une description "
            "sommaire.</p>"
            f"<h2>Établissement de cette déclaration</h2><p>Déclaration établie le {today}.</p>"
            "<h2>Retour d’information et contact</h2><p>Si vous ne pouvez pas accéder à un contenu, "
            f"écrivez-nous à {mail} : nous vous le fournirons sous une autre forme.</p>"
            "<h2>Voies de recours</h2><p>Sans réponse satisfaisante, vous pouvez saisir le Défenseur des "
            "droits (defenseurdesdroits.fr, ou par courrier : Défenseur des droits, Libre réponse 71120, "
            "75342 Paris CEDEX 07).</p>"
        ),
        PageKind.CONTACT: (
            f"<h2>Écrire à la rédaction</h2><p>Une information, une correction, une question : {mail}. "
            "Nous lisons tous les messages et répondons sous deux jours ouvrés.</p>"
            "<h2>Par courrier</h2><p>Newsroom, 1 rue de la République, 13002 Marseille.</p>"
            "<h2>Vos commentaires et vos données</h2><p>Pour consulter ou effacer ce que vous avez "
            "publié, voyez notre politique de confidentialité.</p>"
        ),
    }


def load(*, stdout=None):
    """Fill the pages the editors have not written yet."""
    written = 0
    for kind, body in _bodies().items():
        page, created = Page.objects.get_or_create(kind=kind, defaults={"title": TITLES[kind], "body": body})
        if created or TODO_MARK in page.body:
            page.body = body
            page.save(update_fields=["body", "updated_at"])
            written += 1
    if stdout:
        stdout.write(f"Pages du site : {'écrites' if written else 'déjà en place'}.")
