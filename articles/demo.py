"""Demo content for the articles app (called by `manage.py load_demo`).

The smart-city feature uses the facts of `shared/product.md`; its paragraphs
are written by the project, not copied from the source article.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleStatus, Author, Section, Tag

SMART_CITY_SLUG = "quelle-place-pour-le-numerique-dans-le-developpement-des-metropoles"

SMART_CITY_STANDFIRST = (
    "Le numérique s'invite dans toutes les stratégies métropolitaines, de la vie quotidienne "
    "des habitants à la croissance économique, à condition de suivre un plan bien dessiné. "
    "Le sujet était débattu à Marseille, lundi 10 juillet, lors des 3es Rencontres du Forum "
    "Smart City Marseille Méditerranée."
)

SMART_CITY_BODY = """
<p>Réseaux électriques pilotés en temps réel, transports qui s'ajustent à la fréquentation,
services publics accessibles depuis un téléphone : dans les grandes agglomérations, le numérique
n'est plus un chantier à part. Il traverse chaque politique publique, et les élus comme les
entreprises cherchent désormais la bonne méthode plutôt que la bonne technologie.</p>
<h2>Omniprésence</h2>
<p>Les réseaux intelligents, ou <em>smart grids</em>, en donnent la mesure. En croisant la
production et la consommation d'énergie quartier par quartier, ils permettent de lisser les pics
et d'accueillir les énergies renouvelables. La mobilité suit le même chemin : capteurs,
billettique et information des voyageurs reposent sur la même matière première, la donnée.</p>
<p>La sécurité publique n'échappe pas au mouvement. À Marseille, la police municipale a été
équipée d'outils numériques qui facilitent la remontée d'informations du terrain et la
coordination des patrouilles.</p>
<h2>Efficience du citoyen</h2>
<p>Reste à savoir à qui profite cette masse de données. Pour les intervenants, la réponse tient
en un mot : au citoyen. Signalement d'un incident sur la voirie, suivi d'une démarche,
consultation sur un projet d'aménagement : l'habitant n'est plus seulement usager, il devient
co-constructeur de la ville intelligente.</p>
<blockquote><p>La technologie n'a de valeur que si elle simplifie la vie des habitants.</p></blockquote>
<h2>Travailler avec les entreprises</h2>
<p>Les collectivités ne peuvent pas tout inventer seules. Les start-up apportent des solutions
agiles, les grands groupes leur capacité à déployer, et les territoires un terrain
d'expérimentation. Encore faut-il des règles du jeu claires, des appels à projets ouverts et des
données publiques réutilisables.</p>
<p>Marseille dispose pour cela d'un atout singulier : grâce aux câbles sous-marins qui y
atterrissent, la ville est devenue le premier site d'implantation de datacenters en France,
une infrastructure qui attire opérateurs et entreprises du numérique.</p>
"""

SECTIONS = [
    ("Économie", "economie", "Entreprises, emploi et conjoncture en région."),
    ("Territoires", "territoires", "Métropoles, villes et collectivités."),
    ("Innovation", "innovation", "Numérique, start-up et recherche."),
]

AUTHORS = [
    ("Claire Martin", "claire-martin", "Journaliste, Marseille"),
    ("Julien Roux", "julien-roux", "Journaliste, Aix-en-Provence"),
    ("Sophie Benali", "sophie-benali", "Cheffe de la rubrique Innovation"),
]

OTHER_ARTICLES = [
    ("Le port de Marseille-Fos accélère son électrification des quais", "economie"),
    ("Les start-up marseillaises ont levé un montant record cette année", "innovation"),
    ("La métropole lance un plan pour les zones d'activité", "territoires"),
    ("Aix-en-Provence mise sur la French Tech pour attirer les talents", "innovation"),
    ("Le tourisme d'affaires retrouve des couleurs sur la Côte Bleue", "economie"),
    ("Transports : les nouvelles lignes de bus à haut niveau de service", "territoires"),
    ("Industrie : l'aéronautique recrute dans l'étang de Berre", "economie"),
    ("Données publiques : la région ouvre un nouveau portail", "innovation"),
    ("Toulon et Marseille unissent leurs incubateurs", "innovation"),
    ("Commerce de centre-ville : les chiffres du premier semestre", "economie"),
    ("Logement : la métropole veut accélérer les chantiers", "territoires"),
    ("L'hydrogène vert s'installe à Fos-sur-Mer", "economie"),
]


def load(*, stdout=None):
    """Create the sections, authors, the smart-city feature and a dozen other
    articles. Idempotent: objects are looked up by slug, never duplicated."""
    now = timezone.now()
    sections = {}
    for position, (name, slug, description) in enumerate(SECTIONS):
        sections[slug], _created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    authors = []
    for name, slug, job_title in AUTHORS:
        author, _created = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "job_title": job_title}
        )
        authors.append(author)
    tags = {}
    for name, slug in [("Smart city", "smart-city"), ("Marseille", "marseille"), ("Numérique", "numerique")]:
        tags[slug], _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})

    feature, created = Article.objects.get_or_create(
        slug=SMART_CITY_SLUG,
        defaults={
            "title": "Quelle place pour le numérique dans le développement des métropoles ?",
            "standfirst": SMART_CITY_STANDFIRST,
            "body": SMART_CITY_BODY,
            "section": sections["innovation"],
            "status": ArticleStatus.PUBLISHED,
            "published_at": now - timedelta(hours=2),
            "image_alt": "Vue d'une métropole la nuit, parcourue de réseaux lumineux",
            "image_caption": "Réseaux d'énergie, mobilité, données : la ville se pilote de plus en plus "
            "par le numérique.",
            "image_credit": "Schneider Electric",
            "seo_description": "Smart grids, mobilité, sécurité, données : les métropoles débattent de la "
            "place du numérique aux Rencontres du Forum Smart City Marseille Méditerranée.",
        },
    )
    if created:
        feature.authors.set([authors[0]])
        feature.tags.set(tags.values())

    for index, (title, section_slug) in enumerate(OTHER_ARTICLES):
        article, created = Article.objects.get_or_create(
            slug=slugify(title)[:200],
            defaults={
                "title": title,
                "standfirst": f"{title}. Le point sur un dossier suivi de près par la rédaction "
                "et par les acteurs économiques de la région.",
                "body": "<p>Article de démonstration : la rédaction détaille ici les chiffres, "
                "les acteurs et les prochaines étapes du dossier.</p><h2>Les enjeux</h2>"
                "<p>Entreprises, collectivités et salariés sont concernés au premier chef.</p>",
                "section": sections[section_slug],
                "status": ArticleStatus.PUBLISHED,
                "published_at": now - timedelta(days=index + 1, hours=index),
            },
        )
        if created:
            article.authors.set([authors[(index + 1) % len(authors)]])
    if stdout:
        stdout.write(f"Articles : {Article.objects.count()} en base, dont l'article smart city.")
    return feature
