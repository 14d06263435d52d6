"""Create the four trust pages, so that the footer's links work on any site.

Their first text says what each page must hold, marked « À compléter » for
the editors (the demo replaces it, see pages/demo.py). Going back deletes them.
"""

from django.db import migrations

TODO = "<p><strong>À compléter par la rédaction</strong> dans l’administration (Pages du site).</p>"

PAGES = [
    (
        "mentions-legales",
        "Mentions légales",
        TODO
        + "<h2>Éditeur</h2><p>Raison sociale, forme, capital, adresse, numéro RCS, téléphone.</p>"
        "<h2>Directeur de la publication</h2><p>Nom et qualité.</p>"
        "<h2>Hébergeur</h2><p>Nom, adresse et téléphone de l’hébergeur du site.</p>",
    ),
    (
        "confidentialite",
        "Politique de confidentialité",
        TODO + "<h2>Responsable du traitement</h2><p>L’éditeur du site (voir les mentions légales).</p>",
    ),
    (
        "accessibilite",
        "Déclaration d’accessibilité",
        TODO
        + "<h2>État de conformité</h2><p>Niveau de conformité au RGAA et date de l’audit.</p>"
        "<h2>Retour d’information et contact</h2><p>Comment signaler un contenu inaccessible.</p>",
    ),
    ("contact", "Contact", TODO + "<h2>Écrire à la rédaction</h2><p>Adresse e-mail, adresse postale.</p>"),
]


def create(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for kind, title, body in PAGES:
        Page.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


def delete(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(kind__in=[kind for kind, _title, _body in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_trust_pages")]

    operations = [migrations.RunPython(create, delete)]
